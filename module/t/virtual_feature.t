# virtual_feature.pl driven the way Virtualmin drives a feature plugin (the stand-in in
# lib/VirtualminStandIn.pm: create-domain.pl's checks then feature_setup, rename, disable/enable,
# validate, backup/restore, the delete confirmation and delete, server templates), against the
# real built hub through its gateway socket, with a real agent running the real HAProxy on
# loopback: a domain's page is fetched through HAProxy with the domain's Host header.
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use FindBin;
use lib "$FindBin::Bin/lib";
use UCTest;
BEGIN { require VirtualminStandIn; }

# Virtualmin compiles the plugin in its own process, where nothing else has loaded JSON::PP: a
# fresh perl must compile it alone (perl -c runs its `use` lines, not its `require`).
my $compiled = `cd @{[module_dir()]} && $^X -c virtual_feature.pl 2>&1`;
like($compiled, qr/virtual_feature\.pl syntax OK/, "the plugin compiles in a perl that has loaded nothing") || diag($compiled);

my $s = scratch();
my ($port, $agent_port) = start_hub($s);
my $vdir = "$s->{'root'}/virtual-server";
mkdir($vdir); mkdir("$vdir/templates"); mkdir("$vdir/domains");
write_conf("$vdir/config", { 'plugins' => 'unlimited-cluster' });
write_conf("$vdir/templates/0", { 'name' => 'Default Settings' });
write_conf("$vdir/templates/1", { 'name' => 'Shop' });

# Webmin users: root, ops (every permission), viewer (view only), scoped (only cluster
# "other"), owner (a domain owner: no access to this module at all).
my %FULL = map { $_ => 1 } qw(view editServers editConnections editClusters apply scale enroll exportImport);
set_acl($s, 'ops', %FULL, 'clusters' => '*');
set_acl($s, 'viewer', %FULL, 'apply' => 0, 'clusters' => '*');
set_acl($s, 'scoped', %FULL, 'clusters' => 'other');
open(my $mods, ">", "$s->{'root'}/webmin.acl") || die $!;
print $mods "root: virtual-server unlimited-cluster\nops: virtual-server unlimited-cluster\nviewer: virtual-server unlimited-cluster\n",
	    "scoped: virtual-server unlimited-cluster\nowner: virtual-server\n";
close($mods);

# ---- A web cluster: a load balancer (a real agent and HAProxy on 127.0.0.1) and one web server.
my $lbdir = tempdir("uc-prove-lb-XXXXXX", TMPDIR => 1, CLEANUP => 1);
my ($front, $webport) = (free_port(), free_port());
spawn_bg($s, {}, 'node', '-e', "require('http').createServer((q,r)=>r.end('site on web1\\n')).listen($webport,'127.0.0.1')");
my ($st, $r) = api($s, 'root', 'POST', '/api/join-tokens', { 'type' => 'loadbalancer' });
is($st, 201, "a join token for the load balancer");
spawn_bg($s, { 'UC_LB_DIR' => $lbdir }, 'node', repo_dir()."/dist/agent.mjs", '--hub', "wss://127.0.0.1:$agent_port/agent",
	 '--token', $r->{'token'}, '--state-file', "$lbdir/agent.json", '--id', 'lb1');
wait_for("the load balancer's agent to report", sub { my (undef, $l) = api($s, 'root', 'GET', '/api/servers/lb1'); $l->{'metrics'} });
END { if (open(my $fh, "<", "$lbdir/haproxy.pid")) { my $pid = <$fh>; kill('TERM', $1) if ($pid && $pid =~ /^(\d+)/); } }
($st) = api($s, 'root', 'POST', '/api/servers', { 'id' => 'web1', 'name' => 'web1', 'type' => 'web', 'ip' => '127.0.0.1' });
is($st, 201, "a web server");
($st, $r) = api($s, 'root', 'POST', '/api/clusters', { 'name' => 'web-eu', 'servers' => [ 'lb1', 'web1' ], 'loadBalancer' => {
	'frontends' => [ { 'name' => 'www', 'address' => '127.0.0.1', 'port' => $front, 'backend' => 'parked' } ],
	'backends' => [ { 'name' => 'parked', 'servers' => [] } ], 'serverPort' => $webport } });
is($st, 201, "the web cluster, whose unknown hosts go to an empty 'parked' backend (503)");
api($s, 'root', 'POST', '/api/clusters', { 'name' => $_ }) foreach ('db-eu', 'other');
api($s, 'root', 'POST', '/api/servers', { 'id' => 'lb9', 'name' => 'lb9', 'type' => 'loadbalancer', 'ip' => '127.0.0.9' });
api($s, 'root', 'POST', '/api/clusters', { 'name' => 'web-down', 'servers' => [ 'lb9' ], 'loadBalancer' => { 'frontends' => [ { 'name' => 'www', 'port' => 80 } ] } });
($st, $r) = api($s, 'root', 'POST', '/api/clusters/web-eu/plans');
my $plan = $r->{'id'};
($st) = api($s, 'root', 'POST', "/api/plans/$plan/apply");
is($st, 202, "its first configuration is applied");
my $applied = wait_for("the plan to be applied", sub { my (undef, $p) = api($s, 'root', 'GET', "/api/plans/$plan"); $p->{'state'} =~ /applied|failed/ && $p });
is($applied->{'state'}, 'applied', "HAProxy runs") || diag(explain($applied));
my $page = sub { my ($code, $body) = http_get($front, @_); "$code $body" };
like($page->('shop.example.com'), qr/^503 /, "an unknown host gets the parked backend: 503");

# ---- Virtualmin, with the plugin enabled (plugins=unlimited-cluster).
%ENV = (%ENV, 'UC_TEST_CONFIG_DIR' => $s->{'conf'}, 'UC_TEST_VAR_DIR' => $s->{'var'}, 'UC_TEST_MODULE_DIR' => module_dir(),
	'UC_TEST_VIRTUALMIN_DIR' => $vdir, 'UC_TEST_MODULES' => "$s->{'root'}/webmin.acl", 'REMOTE_USER' => 'root');
virtual_server::load_config();
# Virtualmin calls plugins in its own process as the Webmin user of the request.
no warnings 'once';
sub as_user
{
my ($u) = @_;
$ENV{'REMOTE_USER'} = $ENV{'BASE_REMOTE_USER'} = $u;
$unlimited_cluster::remote_user = $unlimited_cluster::base_remote_user = $u;
}
is_deeply([ virtual_server::list_feature_plugins() ], [ 'unlimited-cluster' ], "it is a feature plugin (it defines feature_setup), loaded by foreign_require");
ok(defined(&unlimited_cluster::feature_setup), "into the package unlimited_cluster");
as_user('root');
is(unlimited_cluster::feature_check(), undef, "feature_check: the hub answers");
is(virtual_server::plugin_call('unlimited-cluster', 'feature_name'), 'Cluster placement', "feature_name");
is_deeply([ virtual_server::available_plugins(undef, undef, undef) ], [ 'unlimited-cluster' ], "suitable for a top-level server");
is_deeply([ virtual_server::available_plugins(undef, undef, { 'id' => 1 }) ], [ ], "not for an old-style sub-domain");
is_deeply([ virtual_server::available_plugins(undef, { 'id' => 1 }, undef) ], [ ], "nor for an alias of a server without it");

# ---- Server templates.
my $form = virtual_server::template_form(virtual_server::get_template(0));
like($form, qr/<option value="web-eu">web-eu<\/option>/, "template_input lists the clusters the user sees");
unlike($form, qr/Default \(from the default template\)/, "the default template has no 'default' choice");
like(virtual_server::template_form(virtual_server::get_template(1)), qr/value="0" checked> Default/, "another template defaults to the default template's");
my %in = ( 'unlimited-cluster_mode' => 2, 'unlimited-cluster_web' => 'web-eu', 'unlimited-cluster_database' => '', 'unlimited-cluster_volume' => '',
	   'unlimited-cluster_mount' => '/srv/www', 'unlimited-cluster_www' => 1 );
my $err = sub { eval { $_[0]->() }; $@ };
is($err->(sub { virtual_server::save_template_form(0, { %in, 'unlimited-cluster_database' => 'db-eu' }) }),
   "ERROR: cluster &#39;db-eu&#39; has no Galera role\n", "a database cluster without the Galera role is refused (error() prints HTML: escaped)");
like($err->(sub { virtual_server::save_template_form(0, { %in, 'unlimited-cluster_volume' => 'files-eu' }) }),
     qr/^ERROR: no Gluster cluster you can see has a volume &#39;files-eu&#39;/, "so is a file volume no Gluster cluster has");
as_user('scoped');
is($err->(sub { virtual_server::save_template_form(0, \%in) }), "ERROR: no cluster named &#39;web-eu&#39;\n", "and a cluster the Webmin user cannot see");
unlike(virtual_server::template_form(virtual_server::get_template(0)), qr/web-eu/, "which its form does not list");
as_user('root');
is($err->(sub { virtual_server::save_template_form(0, { %in, 'unlimited-cluster_web' => '' }) }), "ERROR: Choose a web cluster, a database cluster or a file volume (or No)\n", "a placement of nothing is refused");
is(virtual_server::get_template(0)->{'unlimited-cluster'}, undef, "refused templates were not saved");
is($err->(sub { virtual_server::save_template_form(0, \%in) }), '', "a usable web cluster is saved");
my $t0 = virtual_server::get_template(0);
is_deeply([ map { $t0->{$_} } qw(unlimited-cluster unlimited-cluster_web unlimited-cluster_www) ], [ 1, 'web-eu', 1 ], "in keys that start with the module name");
virtual_server::save_template_form(1, { 'unlimited-cluster_mode' => 0 });
is(virtual_server::get_template(1)->{'unlimited-cluster_web'}, 'web-eu', "template 1 takes it from the default template");

# ---- Creating a virtual server, as create-domain.pl --domain shop.example.com --unlimited-cluster.
my $n = 100;
sub domain { my ($dom, %o) = @_; return { 'id' => ++$n, 'dom' => $dom, 'user' => (split(/\./, $dom))[0], 'pass' => 'Virtualmin-pw-1', 'template' => 1, 'dir' => 1, 'dns' => 1, %o }; }
my $shop = domain('shop.example.com');
($err) = virtual_server::create_domain($shop, 'plugins' => [ 'unlimited-cluster' ]);
is($err, undef, "create-domain.pl's checks pass (args, depends, clash, warnings)");
is($shop->{'unlimited-cluster'}, 1, "the feature is on for the domain");
is_deeply(\@VirtualminStandIn::output, [ 'Placing on clusters (web <tt>web-eu</tt>) ..', '.. done' ], "Virtualmin's output says where it went");
like($page->('shop.example.com'), qr/^200 site on web1/, "HAProxy routes the domain to the web cluster's server");
like($page->('www.shop.example.com'), qr/^200 site on web1/, "and its www. alias");
($st, $r) = api($s, 'root', 'GET', "/api/virtual-servers/$shop->{'id'}");
is_deeply([ @$r{qw(id domain aliases state createdBy)}, $r->{'web'}{'status'} ], [ "$shop->{'id'}", 'shop.example.com', [ 'www.shop.example.com' ], 'active', 'webmin:root', 'ready' ],
	  "the hub keeps it under Virtualmin's domain id, created by the Webmin user");
my ($log) = grep { $_->{'type'} eq 'virtual-server' } actions($s);
is_deeply([ @$log{qw(module action object)}, $log->{'params'}{'web'} ], [ 'unlimited-cluster', 'create', 'shop.example.com', 'web-eu' ], "Webmin's action log has it, under this module");
is_deeply([ virtual_server::validate_domain($shop) ], [ ], "feature_validate finds it as Virtualmin has it");
is_deeply([ map { $_->{'page'} } virtual_server::domain_links($shop) ], [ "index.cgi?vs=$shop->{'id'}" ], "feature_links points at the module");

# Names already taken are refused before anything is made.
my $twin = domain('www.shop.example.com');
($err) = virtual_server::create_domain($twin, 'plugins' => [ 'unlimited-cluster' ]);
like($err, qr/<tt>www\.shop\.example\.com<\/tt> is already a name of the virtual server <tt>shop\.example\.com<\/tt>/, "feature_clash: a name another domain answers for");
ok(!-e "$vdir/domains/$twin->{'id'}", "and the domain was not made");

# An alias domain adds its names to its target's host rules.
my $alias = domain('shop.example.net', 'alias' => $shop->{'id'});
is_deeply([ virtual_server::available_plugins(undef, $shop, undef) ], [ 'unlimited-cluster' ], "suitable for an alias of a domain that has it");
($err) = virtual_server::create_domain($alias, 'plugins' => [ 'unlimited-cluster' ]);
is($err, undef, "an alias domain");
like($page->('www.shop.example.net'), qr/^200 site on web1/, "answers through its target's host rules");
(undef, $r) = api($s, 'root', 'GET', "/api/virtual-servers/$shop->{'id'}");
is_deeply($r->{'aliases'}, [ 'www.shop.example.com', 'shop.example.net', 'www.shop.example.net' ], "which list its names");

# ---- Disable and enable, as disable_virtual_server / enable_virtual_server.
virtual_server::disable_domain($shop);
is($shop->{'disabled'}, 'unlimited-cluster', "disabling lists the feature in the domain's disabled features");
like($page->('shop.example.com', '/any/page.php'), qr/^200 <!DOCTYPE html>.*Website disabled/s, "every path answers the 'website disabled' page, as Virtualmin's web feature does");
is_deeply([ virtual_server::validate_domain($shop) ], [ ], "the hub agrees it is disabled");
virtual_server::enable_domain($shop);
like($page->('shop.example.com'), qr/^200 site on web1/, "enabling routes it to the web servers again");
# What the hub says differs from Virtualmin: feature_validate says so.
api($s, 'root', 'PATCH', "/api/virtual-servers/$shop->{'id'}", { 'state' => 'disabled' });
like(join("", virtual_server::validate_domain($shop)), qr/^Cluster placement : The hub has the virtual server disabled/, "feature_validate reports a disabled host rule Virtualmin thinks active");
api($s, 'root', 'PATCH', "/api/virtual-servers/$shop->{'id'}", { 'state' => 'active' });

# ---- Rename, as rename_virtual_server: the domain, then its aliases.
virtual_server::rename_domain($shop, 'store.example.com');
like($page->('store.example.com'), qr/^200 site on web1/, "a renamed domain answers under its new name");
like($page->('www.store.example.com'), qr/^200 site on web1/, "and www. of it");
like($page->('shop.example.com'), qr/^503 /, "no longer under the old one");
like($page->('shop.example.net'), qr/^200 site on web1/, "its alias stays");
(undef, $r) = api($s, 'root', 'GET', "/api/virtual-servers/$shop->{'id'}");
is($r->{'domain'}, 'store.example.com', "the hub renamed the same record");
virtual_server::modify_domain($shop, 'pass' => 'Virtualmin-pw-2');
is_deeply(\@VirtualminStandIn::output, [ ], "a new password changes nothing on the clusters for a domain without a database there");

# ---- Backup and restore (backups-lib.pl).
my $bdir = tempdir("uc-prove-backup-XXXXXX", TMPDIR => 1, CLEANUP => 1);
is_deeply([ virtual_server::backup_domain($shop, $bdir) ], [ ], "feature_backup succeeds");
my $saved = json(do { local $/; open(my $fh, "<", "$bdir/store.example.com_unlimited-cluster") || die $!; <$fh> });
is_deeply([ $saved->{'format'}, $saved->{'virtualServer'}{'web'}{'cluster'} ], [ 'unlimited-cluster-virtual-server', 'web-eu' ], "into DIR/DOMAIN_PLUGIN: the placement");
($st) = api($s, 'root', 'DELETE', "/api/virtual-servers/$shop->{'id'}");
is($st, 204, "(the hub loses the virtual server, as on a new system)");
like($page->('store.example.com'), qr/^503 /, "(which then answers nothing)");
is_deeply([ virtual_server::restore_domain($shop, $bdir) ], [ ], "feature_restore succeeds");
like($page->('store.example.com'), qr/^200 site on web1/, "and places it again as the backup says");
like($page->('shop.example.net'), qr/^200 site on web1/, "with its aliases");
is_deeply([ virtual_server::restore_domain($shop, $bdir) ], [ ], "a restore over a placed domain leaves it as it is");

# ---- Delete, as delete_domain.cgi: what will be lost, then delete_virtual_server.
my @losing = virtual_server::losing($shop);
like($losing[0], qr/^Cluster placement - The host rules for <tt>store\.example\.com, www\.store\.example\.com, shop\.example\.net, www\.shop\.example\.net<\/tt> on cluster <tt>web-eu<\/tt> will be removed\./,
     "the confirmation says which host rules go, on which cluster");
virtual_server::delete_domain($shop, 0);
is_deeply(\@VirtualminStandIn::output, [ 'Removing the alias from the host rules ..', '.. done', 'Removing from the clusters (host rules, database, files) ..', '.. done' ],
	  "its alias goes first, then the domain");
like($page->('store.example.com'), qr/^503 /, "the domain no longer answers");
like($page->('shop.example.net'), qr/^503 /, "nor its alias");
(undef, $r) = api($s, 'root', 'GET', '/api/virtual-servers');
is_deeply($r, [ ], "the hub has no virtual server left");

# ---- Failures: the feature is turned off for the domain, its other features are untouched.
my $db = domain('blog.example.com');
($err) = virtual_server::create_domain($db, 'plugins' => [ 'unlimited-cluster' ], 'args' => { 'unlimited-cluster-database' => 'db-eu' });
is($err, "cluster 'db-eu' has no Galera role", "create-domain.pl --unlimited-cluster-database db-eu: feature_depends refuses it (as text: create-domain.pl prints it)");
ok(!-e "$vdir/domains/$db->{'id'}", "before anything is made");
# Past the checks (a cluster that lost its role in between): the setup fails, the feature goes off.
{
	no warnings 'redefine';
	local *unlimited_cluster::feature_depends = sub { undef };
	($err) = virtual_server::create_domain($db, 'plugins' => [ 'unlimited-cluster' ], 'args' => { 'unlimited-cluster-database' => 'db-eu' }, 'skip_warnings' => 1);
}
is($err, undef, "when the checks pass");
is($db->{'unlimited-cluster'}, 0, "but the setup fails, Virtualmin turns the feature off");
is_deeply([ @$db{qw(dir dns)} ], [ 1, 1 ], "leaving the domain's other features as they were");
is($VirtualminStandIn::output[-1], ".. Cluster placement failed : cluster 'db-eu' has no Galera role\n", "saying why");
(undef, $r) = api($s, 'root', 'GET', '/api/virtual-servers');
is_deeply($r, [ ], "and nothing is left on the hub");
my $all = do { local $/; open(my $fh, "<", "$s->{'var'}/state.json") || die $!; <$fh> }.do { local $/; open(my $fh, "<", "$s->{'var'}/actions.log") || die $!; <$fh> };
unlike($all, qr/Virtualmin-pw-1/, "the database password is in neither the hub's state nor the action log");

my $down = domain('down.example.com', 'template' => 0);
($err) = virtual_server::create_domain($down, 'plugins' => [ 'unlimited-cluster' ], 'args' => { 'unlimited-cluster-web' => 'web-down' });
is($err, "warnings: cluster &#39;web-down&#39; has no web server yet: its domains answer 503 until one is added",
   "feature_warnings: a web cluster without web servers stops create-domain.pl without --skip-warnings");
ok(!-e "$vdir/domains/$down->{'id'}", "before anything is made");
($err) = virtual_server::create_domain($down, 'plugins' => [ 'unlimited-cluster' ], 'args' => { 'unlimited-cluster-web' => 'web-down' }, 'skip_warnings' => 1);
is($down->{'unlimited-cluster'}, 0, "a web cluster whose load balancer has no agent: the feature is off");
like($VirtualminStandIn::output[-1], qr/^\.\. Cluster placement failed : web \(host rules on cluster web-down\) failed: cannot plan cluster 'web-down': lb9: .*the virtual server was not set up/, "naming the step that failed");
($err) = virtual_server::create_domain(domain('bad.example.com'), 'plugins' => [ 'unlimited-cluster' ], 'args' => { 'unlimited-cluster-web' => 'no such' });
like($err, qr/--unlimited-cluster-web: 'no such' is not a valid name/, "feature_args_parse refuses a bad option before anything is made");

as_user('viewer');
my $v = domain('viewer.example.com');
($err) = virtual_server::create_domain($v, 'plugins' => [ 'unlimited-cluster' ]);
is($err, undef, "a Webmin user who may only view gets past the checks");
is_deeply([ $v->{'unlimited-cluster'}, $VirtualminStandIn::output[-1] ], [ 0, ".. Cluster placement failed : you do not have the \"apply configuration\" permission\n" ],
	  "a Webmin user without the apply permission cannot place a domain");
as_user('owner');
($err) = virtual_server::create_domain(domain('owner.example.com'), 'plugins' => [ 'unlimited-cluster' ]);
is($err, 'you do not have the "view" permission', "a domain owner without access to this module is refused at the checks");
as_user('root');

# Preserving remote features (delete-domain.pl --preserve-remote) keeps the database and files.
my $keep = domain('keep.example.com');
virtual_server::create_domain($keep, 'plugins' => [ 'unlimited-cluster' ]);
virtual_server::delete_domain($keep, 1);
is($VirtualminStandIn::output[0], 'Removing the host rules, keeping the database and files on their clusters ..', "a delete that preserves remote features says what stays");
my ($kept) = grep { $_->{'action'} eq 'delete' && $_->{'object'} eq 'keep.example.com' } actions($s);
is($kept->{'params'}{'kept'}, 'database,files', "and asks the hub to keep them");

# Command-line scripts (create-domain.pl run by Unix root) have no Webmin user: they act as root.
SKIP: {
	skip("the command-line case needs Unix root", 3) if ($< != 0);
	as_user('');
	my $cli = domain('cli.example.com');
	virtual_server::create_domain($cli, 'plugins' => [ 'unlimited-cluster' ]);
	is($cli->{'unlimited-cluster'}, 1, "a domain made from the command line");
	(undef, $r) = api($s, 'root', 'GET', "/api/virtual-servers/$cli->{'id'}");
	is($r->{'createdBy'}, 'webmin:root', "is placed as the Webmin user root");
	my ($entry) = grep { $_->{'object'} eq 'cli.example.com' } actions($s);
	is($entry->{'user'}, 'root', "and logged as root, as Virtualmin logs its command-line scripts");
	as_user('root');
}

# A failed disable does not stop Virtualmin's own (it calls feature_disable without an eval).
my $ok = domain('ok.example.com');
virtual_server::create_domain($ok, 'plugins' => [ 'unlimited-cluster' ]);
is($ok->{'unlimited-cluster'}, 1, "another domain");
stop_hub($s);
my $dis = eval { virtual_server::disable_domain($ok); 1 };
ok($dis, "with the hub down, disabling the domain still completes");
like($VirtualminStandIn::output[-1], qr/^\.\. failed : The hub is not answering/, "and says the feature could not be disabled");
like(unlimited_cluster::feature_check(), qr/^The Unlimited Cluster hub is not answering on <tt>.*hub\.sock<\/tt>/, "feature_check says the hub is down");

done_testing();
