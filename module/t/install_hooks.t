# postinstall.pl, uninstall.pl and install_check.pl as Webmin runs them (foreign_require into
# the module's package, then module_install / module_uninstall / is_installed), on a host
# without systemd: the hub is started directly, for real.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use IO::Socket::INET;
use IO::Socket::UNIX;
use UCTest;

chomp(my $node = `sh -c 'command -v node'`);
$node || die "node is not on the PATH";
my $free = IO::Socket::INET->new(Listen => 1, LocalAddr => '127.0.0.1', LocalPort => 0) || die $!;
my $port = $free->sockport();
close($free);
my $s = scratch('hub_port' => $port, 'agent_port' => 0, 'node' => $node, 'systemd_dir' => "/nonexistent-systemd-$$");
my $root = "$s->{'root'}/module-root";
mkdir($root);
symlink(repo_dir()."/dist/hub.mjs", "$root/hub.mjs") || die $!;
UCTest::write_conf("$s->{'root'}/miniserv.conf", { 'port' => 10000, 'root' => '/usr/share/webmin' });
@ENV{qw(UC_TEST_CONFIG_DIR UC_TEST_VAR_DIR UC_TEST_MODULE_ROOT UC_TEST_MINISERV UC_TEST_WEBMIN_CONFIG REMOTE_USER)} =
	($s->{'conf'}, $s->{'var'}, $root, "$s->{'root'}/miniserv.conf", "$s->{'root'}/etc-webmin", 'root');
chdir(module_dir());
unshift(@INC, module_dir());

sub miniserv { my %c = map { /^([^=]+)=(.*)$/ ? ($1 => $2) : () } do { open(my $fh, '<', $ENV{'UC_TEST_MINISERV'}) || die $!; <$fh> }; return \%c; }
sub reloads { open(my $fh, '<', "$s->{'var'}/miniserv-reloads") || return 0; my @l = <$fh>; return scalar(@l); }
sub slurp { open(my $fh, '<', $_[0]) || return undef; local $/; return <$fh>; }

package unlimited_cluster;
do './install_check.pl' || die $@ || $!;
do './postinstall.pl' || die $@ || $!;
do './uninstall.pl' || die $@ || $!;
package main;
# A failure half-way must not leave the hub (and its agent) running: prove would wait for them.
END { local $?; unlimited_cluster::stop_hub(); }

is(unlimited_cluster::is_installed(1), 1, "install_check: installed (node and the hub bundle) but not configured yet");

{
	local *STDERR;
	my $said = '';
	open(STDERR, '>', \$said);
	unlimited_cluster::module_install();
	close(STDERR);
	like($said, qr/systemd is not running.*started now \(pid \d+/s, "without systemd the hub is started now, and it says so");
}
my $secret = slurp("$s->{'var'}/ticket.secret");
like($secret, qr/^[A-Za-z0-9_-]{43}\n$/, "postinstall made the ticket secret");
is((stat("$s->{'var'}/ticket.secret"))[2] & 0777, 0600, "root-only");
is(miniserv()->{'websockets_/unlimited-cluster/ws'}, "host=127.0.0.1 port=$port wspath=/ws nokey=1", "the miniserv WebSocket route to the hub's port");
is(miniserv()->{'port'}, 10000, "the rest of miniserv.conf is kept");
is(reloads(), 1, "miniserv reloaded once");
is(slurp("$root/webmin-config-dir"), "$s->{'root'}/etc-webmin\n", "Webmin's config directory is recorded for hubctl.pl");
is(unlimited_cluster::is_installed(1), 2, "install_check: installed and configured");

# The hub is really up: the gateway socket answers, the route's port is its browser socket.
ok(wait_for("the gateway socket", sub { IO::Socket::UNIX->new(Peer => "$s->{'var'}/hub.sock") }), "the hub listens on its gateway socket");
my ($st, undef, $b) = run_cgi($s, 'nph-api.cgi', path_info => '/api/me', env => { 'UC_TEST_MODULE_ROOT' => $root });
is($st, 200, "and answers the gateway");
ok(IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port), "and the route's port");
my $pid = unlimited_cluster::hub_running_pid();
ok($pid, "its pid is recorded");

# With no step of the administrator's, this host is on the diagram, live: the hub runs its agent.
my $me = wait_for("this host's agent to report", sub {
	my ($st, undef, $b) = run_cgi($s, 'nph-api.cgi', path_info => '/api/servers', env => { 'UC_TEST_MODULE_ROOT' => $root });
	my ($local) = $st == 200 ? grep { $_->{'agent'} && $_->{'metrics'} } @{json($b)} : ();
	return $local;
	});
like($me->{'status'}, qr/^(active|warning)$/, "this host is on the diagram, live (status $me->{'status'})");
ok(-s "$s->{'var'}/local-agent.json", "its agent enrolled once (its identity is kept with the hub's data)");
is((stat("$s->{'var'}/local-agent.json"))[2] & 0777, 0600, "root-only");
sub local_agents { return grep { (slurp("/proc/$_/cmdline") // '') =~ /agent\.mjs.*\Q$s->{'var'}\E\/local-agent\.json/ } map { /(\d+)$/ ? $1 : () } glob("/proc/[0-9]*"); }
my @agents = local_agents();
is(scalar(@agents), 1, "one agent process");

# An upgrade: the same secret and data, no second reload.
{
	local *STDERR;
	open(STDERR, '>', \my $ignored);
	unlimited_cluster::module_install();
}
is(slurp("$s->{'var'}/ticket.secret"), $secret, "an upgrade keeps the ticket secret");
ok(-r "$s->{'var'}/state.json", "and the hub's state");
is(reloads(), 1, "and does not reload miniserv again");
isnt(unlimited_cluster::hub_running_pid(), $pid, "the hub was restarted on the new code");
ok(!kill(0, $pid), "and the old one stopped");
ok(wait_for("the old hub's agent to stop and the new one's to start", sub {
	my @now = local_agents();
	return @now == 1 && $now[0] != $agents[0];
	}), "with its agent, and the new hub runs one of its own");
$pid = unlimited_cluster::hub_running_pid();

unlimited_cluster::module_uninstall();
ok(!exists(miniserv()->{'websockets_/unlimited-cluster/ws'}), "uninstall removes the route");
is(reloads(), 2, "and reloads miniserv");
ok(!kill(0, $pid), "and stops the hub");
ok(wait_for("this host's agent to stop", sub { !local_agents() }), "and this host's agent with it");
ok(-r "$s->{'var'}/state.json", "the hub's data stays");
done_testing();
