# install_check.pl

require 'unlimited-cluster-lib.pl';
require 'service-lib.pl';

# is_installed(mode)
# For mode 1, returns 2 if the server is installed and configured for use by
# Webmin, 1 if installed but not configured, or 0 otherwise.
# For mode 0, returns 1 if installed, 0 if not. The "server" is the hub: it needs Node.js
# and the hub bundle; it is configured once its ticket secret exists.
sub is_installed
{
my ($mode) = @_;
return 0 if (!&node_path() || !-r "$module_root_directory/hub.mjs");
return $mode ? (&read_ticket_secret() ? 2 : 1) : 1;
}

1;
