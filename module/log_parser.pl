# log_parser.pl
# Describes this module's action-log entries (written by nph-api.cgi, one per change, and by the
# Virtualmin plugin virtual_feature.pl, one per virtual server change: type virtual-server).

require 'unlimited-cluster-lib.pl';
our (%text);

# parse_webmin_log(user, script, action, type, object, &params, [long])
sub parse_webmin_log
{
my ($user, $script, $action, $type, $object, $p, $long) = @_;
my $what = $text{"log_${action}_${type}"};
my $obj = defined($object) && $object ne '' ? "<tt>".&html_escape($object)."</tt>" : "";
my $desc = $what ? &text("log_${action}_${type}", $obj)
		 : &text('log_other', uc($action), "<tt>".&html_escape($p->{'path'} || "/api/$type")."</tt>");
$desc .= " (".&html_escape(uc($action)." ".($p->{'path'} || "")).")" if ($long && $what && $type ne 'virtual-server');
$desc = &text('log_failed', $desc).($long ? " (".&html_escape($p->{'error'}).")" : "") if ($p->{'failed'});
return $desc;
}

1;
