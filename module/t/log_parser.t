# log_parser.pl: readable descriptions of the gateway's action-log entries.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use UCTest;

my $s = scratch();
chdir(module_dir());
unshift(@INC, module_dir()); # foreign_require puts the module directory first
@ENV{qw(UC_TEST_CONFIG_DIR UC_TEST_VAR_DIR REMOTE_USER)} = ($s->{'conf'}, $s->{'var'}, 'root');
package unlimited_cluster;
do './log_parser.pl' || die $@ || $!;
package main;

my $p = sub { unlimited_cluster::parse_webmin_log('root', 'nph-api.cgi', @_) };
is($p->('post', 'servers', 'web1', { 'path' => '/api/servers' }), 'Added server <tt>web1</tt>', "a created server");
is($p->('delete', 'clusters', 'prod<1>', { 'path' => '/api/clusters/prod<1>' }), 'Deleted cluster <tt>prod&lt;1&gt;</tt>', "names are escaped");
is($p->('patch', 'servers', 'web1', { 'path' => '/api/servers/web1' }, 1), 'Changed server <tt>web1</tt> (PATCH /api/servers/web1)', "the long form adds the request");
is($p->('post', 'clusters_scaling_policy', 'shop', { 'path' => '/api/clusters/shop/scaling/policy' }), 'Set the scaling policy of cluster <tt>shop</tt>', "a sub-resource has its own sentence");
is($p->('post', 'future-thing', undef, { 'path' => '/api/future-thing' }), 'POST <tt>/api/future-thing</tt>', "an unknown change still reads sensibly");
# The Virtualmin plugin's entries (virtual_feature.pl): its own sentences, failures marked.
is($p->('create', 'virtual-server', 'shop.example.com', { 'id' => '101', 'web' => 'shop' }), 'Placed virtual server <tt>shop.example.com</tt> on clusters', "a placed virtual server");
is($p->('disable', 'virtual-server', 'shop.example.com', { 'id' => '101', 'failed' => 1, 'error' => 'lb1 <down>' }, 1),
   'Failed: Disabled virtual server <tt>shop.example.com</tt> on its web cluster (lb1 &lt;down&gt;)', "a failed change says so, with the reason in the long form");

# Every change the gateway can log has its own sentence.
my %lang = map { /^([^=]+)=/ ? ($1 => 1) : () } do { open(my $fh, '<', 'lang/en') || die $!; <$fh> };
for my $k (qw(post_servers patch_servers delete_servers post_connections delete_connections patch_connections post_undo post_clusters patch_clusters
	      delete_clusters post_join-tokens delete_join-tokens delete_agents post_alert-rules patch_alert-rules patch_layout
	      delete_alert-rules post_import post_restore post_users patch_users delete_users post_api-tokens delete_api-tokens
	      post_virtual-servers patch_virtual-servers delete_virtual-servers
	      create_virtual-server modify_virtual-server delete_virtual-server disable_virtual-server enable_virtual-server
	      alias_virtual-server restore_virtual-server
	      post_clusters_plans post_clusters_scaling_policy delete_clusters_scaling_policy post_clusters_scaling_binding
	      delete_clusters_scaling_binding post_clusters_scaling_user-data post_clusters_scaling_protection
	      post_clusters_scaling_preview post_clusters_scaling_scale-in patch_schedules post_schedules_run)) {
	ok($lang{"log_$k"}, "lang/en describes $k");
	}
done_testing();
