# virtual_feature.pl driven as Virtualmin drives it (module/t/lib/VirtualminStandIn.pm) against a
# hub whose clusters are real: HAProxy, a Galera cluster and a Gluster volume in network
# namespaces (agent/test/virtual-servers-full.test.ts builds them and runs this file one step at a
# time under prove, checking the clusters between steps):
#   prove agent/test/virtualmin-full.t :: STEP
# STEP: template, create, password, disable, enable, rename, delete, delete-keep. The
# environment names the hub's gateway socket and the stand-ins' directories (UC_E2E_*).
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/../../module/t/lib";
BEGIN { require VirtualminStandIn; }

my $step = shift(@ARGV) || die "usage: prove virtualmin-full.t :: STEP\n";
my ($web, $db, $volume, $mount) = map { $ENV{"UC_E2E_$_"} || die "UC_E2E_$_ is not set\n" } qw(WEB DATABASE VOLUME MOUNT);
%ENV = (%ENV, 'UC_TEST_MODULE_DIR' => "$FindBin::Bin/../../module", 'REMOTE_USER' => 'root', 'BASE_REMOTE_USER' => 'root');
virtual_server::load_config();
no warnings 'once';
$unlimited_cluster::remote_user = $unlimited_cluster::base_remote_user = 'root';
my $ID = 201;
my $out = sub { [ @VirtualminStandIn::output ] };
my $d = virtual_server::get_domain($ID);

if ($step eq 'template') {
	my %in = ( 'unlimited-cluster_mode' => 2, 'unlimited-cluster_web' => $web, 'unlimited-cluster_database' => $db,
		   'unlimited-cluster_volume' => $volume, 'unlimited-cluster_mount' => $mount, 'unlimited-cluster_www' => 1 );
	my $form = virtual_server::template_form(virtual_server::get_template(1));
	like($form, qr/<option value="\Q$db\E">/, "template_input offers the Galera cluster");
	like($form, qr/<option value="\Q$volume\E">/, "and the Gluster volume");
	eval { virtual_server::save_template_form(1, { %in, 'unlimited-cluster_database' => $web }) };
	is($@, "ERROR: cluster &#39;$web&#39; has no Galera role\n", "a cluster without the Galera role is still refused");
	eval { virtual_server::save_template_form(1, \%in) };
	is($@, '', "a template placing the web, the database and the files on the real clusters is saved");
	my $t = virtual_server::get_template(1);
	is_deeply([ map { $t->{"unlimited-cluster_$_"} } qw(web database volume mount) ], [ $web, $db, $volume, $mount ], "with each choice");
	}
elsif ($step eq 'create') {
	$d = { 'id' => $ID, 'dom' => 'blog.example.com', 'user' => 'blog', 'pass' => 'Blog-pw-1', 'db' => 'blog_example_com', 'template' => 1, 'dir' => 1 };
	my ($err) = virtual_server::create_domain($d, 'plugins' => [ 'unlimited-cluster' ]);
	is($err, undef, "create-domain.pl's checks pass");
	is_deeply($out->(), [ "Placing on clusters (web <tt>$web</tt>, database <tt>$db</tt>, volume <tt>$volume</tt>) ..", '.. done' ], "feature_setup places all three parts");
	is($d->{'unlimited-cluster'}, 1, "the feature is on");
	is_deeply([ virtual_server::validate_domain($d) ], [ ], "feature_validate finds every part ready");
	}
elsif ($step eq 'password') {
	virtual_server::modify_domain($d, 'pass' => 'Blog-pw-2');
	is_deeply($out->(), [ 'Changing the database user on the Galera cluster ..', '.. done' ], "modify-domain.pl --pass: the database user gets the new password");
	}
elsif ($step eq 'disable' || $step eq 'enable') {
	$step eq 'disable' ? virtual_server::disable_domain($d) : virtual_server::enable_domain($d);
	is($out->()->[-1], '.. done', "$step: done");
	is_deeply([ virtual_server::validate_domain($d) ], [ ], "and the hub agrees");
	}
elsif ($step eq 'rename') {
	virtual_server::rename_domain($d, 'journal.example.com', 'journal');
	is_deeply($out->(), [ 'Renaming the host rules and the names of the web root to <tt>journal.example.com</tt> ..', '.. done' ], "rename-domain.pl --new-domain --new-user");
	is_deeply([ virtual_server::validate_domain($d) ], [ ], "the hub has the new name");
	}
elsif ($step eq 'delete' || $step eq 'delete-keep') {
	my ($losing) = virtual_server::losing($d);
	like($losing, qr/The database <tt>blog_example_com<\/tt> and its user on Galera cluster <tt>\Q$db\E<\/tt> will be dropped\..*The web root <tt>blog\.example\.com<\/tt> on Gluster volume <tt>\Q$volume\E<\/tt>/s,
	     "the confirmation names the database and the web root");
	virtual_server::delete_domain($d, $step eq 'delete-keep' ? 1 : 0);
	is($out->()->[-1], '.. done', "delete_virtual_server: done");
	}
else {
	die "unknown step $step\n";
	}
done_testing();
