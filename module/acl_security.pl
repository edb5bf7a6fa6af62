# acl_security.pl
# The module's ACL editor: one yes/no per hub permission, and which clusters. The keys are the
# hub's flag names; the hub maps them (agent/hub/auth/webmin.ts) and enforces them.

require 'unlimited-cluster-lib.pl';
our (@acl_flags, %text);

# acl_security_form(&options)
sub acl_security_form
{
my ($o) = @_;
foreach my $f (@acl_flags) {
	print &ui_table_row($text{"acl_$f"}, &ui_yesno_radio($f, $o->{$f} ? 1 : 0), 3);
	}
my $all = !defined($o->{'clusters'}) || $o->{'clusters'} eq '*';
print &ui_table_row($text{'acl_clusters'},
	&ui_opt_textbox("clusters", $all ? "" : $o->{'clusters'}, 50, $text{'acl_clusters_all'},
			$text{'acl_clusters_only'}), 3);
}

# acl_security_save(&options, &in)
sub acl_security_save
{
my ($o, $in) = @_;
foreach my $f (@acl_flags) {
	$o->{$f} = $in->{$f} ? 1 : 0;
	}
if ($in->{'clusters_def'}) {
	$o->{'clusters'} = '*';
	}
else {
	my @names = split(/[\s,]+/, $in->{'clusters'} || "");
	foreach my $n (@names) {
		$n =~ /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/ || &error(&text('acl_ecluster', &html_escape($n)));
		}
	$o->{'clusters'} = join(" ", @names);
	}
}

1;
