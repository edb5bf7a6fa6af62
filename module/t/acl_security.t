# acl_security.pl: the form shows every flag and the cluster scope; save stores what the form sent.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use UCTest;

my $s = scratch();
chdir(module_dir());
unshift(@INC, module_dir()); # foreign_require puts the module directory first
$ENV{'UC_TEST_CONFIG_DIR'} = $s->{'conf'};
$ENV{'UC_TEST_VAR_DIR'} = $s->{'var'};
$ENV{'REMOTE_USER'} = 'root';
# As Webmin's acl module does: loaded into the module's package, then called.
package unlimited_cluster;
do './acl_security.pl' || die $@ || $!;
package main;

my @flags = qw(view editServers editConnections editClusters apply scale enroll exportImport);
my $form = '';
{
	open(my $fh, '>', \$form);
	my $old = select($fh);
	unlimited_cluster::acl_security_form({ 'view' => 1, 'enroll' => 0, 'clusters' => 'web db' });
	select($old);
}
like($form, qr/name="$_"/, "the form edits $_") for @flags;
like($form, qr/name="view" value="1" checked/, "showing a granted flag as yes");
like($form, qr/name="enroll" value="0" checked/, "and a refused one as no");
like($form, qr/name="clusters" size=\d+ value="web db"/, "and the clusters");

my %o;
unlimited_cluster::acl_security_save(\%o, { 'view' => 1, 'editServers' => 0, 'editClusters' => 1, 'clusters_def' => 0, 'clusters' => "web  db,cache" });
is_deeply(\%o, { 'view' => 1, 'editServers' => 0, 'editConnections' => 0, 'editClusters' => 1, 'apply' => 0, 'scale' => 0,
		 'enroll' => 0, 'exportImport' => 0, 'clusters' => 'web db cache' }, "save stores every flag and the cluster list");
unlimited_cluster::acl_security_save(\%o, { 'view' => 1, 'clusters_def' => 1, 'clusters' => 'ignored' });
is($o{'clusters'}, '*', "all clusters is stored as *");
ok(!eval { unlimited_cluster::acl_security_save(\%o, { 'clusters_def' => 0, 'clusters' => 'ok bad/name' }); 1 }, "an invalid cluster name is refused");
like($@, qr/bad\/name/, "naming it");

# The defaults give every flag for every cluster (root and admin get the module with these).
my %def = map { /^([^=]+)=(.*)$/ ? ($1 => $2) : () } do { open(my $fh, '<', 'defaultacl') || die $!; <$fh> };
chomp(%def);
is($def{$_}, 1, "defaultacl grants $_") for @flags;
is($def{'clusters'}, '*', "defaultacl grants every cluster");
done_testing();
