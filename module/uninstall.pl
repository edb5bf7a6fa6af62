# uninstall.pl
# Run by Webmin before the module is deleted: stop the hub, remove its service and the
# miniserv WebSocket route. The hub's data stays in the module's var directory.

require 'unlimited-cluster-lib.pl';
require 'service-lib.pl';

sub module_uninstall
{
&remove_hub_service();
my ($key) = &websocket_route();
my %miniserv;
&get_miniserv_config(\%miniserv);
if (exists($miniserv{$key})) {
	&lock_file(&get_miniserv_config_file());
	delete($miniserv{$key});
	&put_miniserv_config(\%miniserv);
	&unlock_file(&get_miniserv_config_file());
	&reload_miniserv();
	}
}

1;
