# postinstall.pl
# Run by Webmin after the module is installed or upgraded: the ticket secret, the miniserv
# WebSocket route, and the hub service. Data in the module's var directory is never touched.

require 'unlimited-cluster-lib.pl';
require 'service-lib.pl';

sub module_install
{
&create_ticket_secret();
&record_webmin_config_dir();

# The route for the browser socket, written once; miniserv reloads only when it changed.
my ($key, $value) = &websocket_route();
my %miniserv;
&get_miniserv_config(\%miniserv);
if (($miniserv{$key} // "") ne $value) {
	&lock_file(&get_miniserv_config_file());
	$miniserv{$key} = $value;
	&put_miniserv_config(\%miniserv);
	&unlock_file(&get_miniserv_config_file());
	&reload_miniserv();
	}

my $said = eval { &start_hub() };
print STDERR $said ? "$said\n" : "Unlimited Cluster: the hub was not started: $@";
}

1;
