# UCTest.pm: runs the module's CGIs the way miniserv does (a perl process in the module
# directory, CGI environment, the body on stdin, the response on stdout) against the WebminCore
# stand-in in this directory, and starts a real hub (dist/hub.mjs) for them to talk to.
package UCTest;
use strict;
use warnings;
use Cwd qw(abs_path);
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use IPC::Open3 qw(open3);
use Symbol qw(gensym);
use JSON::PP;
use IO::Socket::INET;
use POSIX ();
use WebminStandIn; # the WebminCore the module's Perl loads in-process (acl_security.t)
require Exporter;
our @ISA = qw(Exporter);
our @EXPORT = qw(module_dir repo_dir scratch write_conf set_acl run_cgi start_hub stop_hub json actions
	api wait_for free_port spawn_bg http_get);

sub module_dir { return abs_path(dirname(__FILE__)."/../.."); }
sub repo_dir { return abs_path(module_dir()."/.."); }

# scratch(%config) : { conf, var } directories with the module config written
sub scratch
{
my (%config) = @_;
my $root = tempdir("uc-prove-XXXXXX", TMPDIR => 1, CLEANUP => 1);
my $s = { 'conf' => "$root/conf", 'var' => "$root/var", 'root' => $root };
mkdir($_, 0700) for ($s->{'conf'}, $s->{'var'});
write_conf("$s->{'conf'}/config", { 'data_dir' => $s->{'var'}, %config });
return $s;
}

sub write_conf
{
my ($file, $h) = @_;
open(my $fh, ">", $file) || die "$file: $!";
print $fh map { "$_=$h->{$_}\n" } sort keys %$h;
close($fh);
}

# set_acl(scratch, user, %acl) : the user's module ACL, overlaid on defaultacl
sub set_acl
{
my ($s, $user, %acl) = @_;
write_conf("$s->{'conf'}/$user.acl", \%acl);
}

# run_cgi(scratch, script, method => , path_info =>, query =>, body =>, type =>, user =>, env => {})
# : (status, &headers, body). An nph- script's status line is parsed as the browser sees it.
sub run_cgi
{
my ($s, $script, %o) = @_;
chdir(module_dir()) || die "cannot enter the module directory: $!";
my $body = $o{'body'} // "";
local %ENV = ( %ENV,
	'GATEWAY_INTERFACE' => 'CGI/1.1', 'SERVER_PROTOCOL' => 'HTTP/1.0',
	'REQUEST_METHOD' => $o{'method'} || 'GET',
	'SCRIPT_NAME' => "/unlimited-cluster/$script",
	'PATH_INFO' => $o{'path_info'} // '',
	'QUERY_STRING' => $o{'query'} // '',
	'CONTENT_LENGTH' => length($body),
	'CONTENT_TYPE' => $o{'type'} // ($body ne '' ? 'application/json' : ''),
	'REMOTE_USER' => $o{'user'} || 'root',
	'UC_TEST_CONFIG_DIR' => $s->{'conf'}, 'UC_TEST_VAR_DIR' => $s->{'var'},
	%{$o{'env'} || {}} );
my $err = gensym;
my $pid = open3(my $in, my $out, $err, $^X, "-I".module_dir()."/t/lib", "-MWebminStandIn", "./$script");
print $in $body;
close($in);
local $/;
my $stdout = <$out> // "";
my $stderr = <$err> // "";
waitpid($pid, 0);
die "$script exited with ".($? >> 8).": $stderr" if ($?);
my ($head, $rest) = split(/\r?\n\r?\n/, $stdout, 2);
my @lines = split(/\r?\n/, $head // "");
my $status = 200;
if (@lines && $lines[0] =~ /^HTTP\/1\.[01] (\d{3}) /) {
	$status = $1;
	shift(@lines);
	}
my %headers = map { /^([^:]+):\s*(.*)$/ ? (lc($1) => $2) : () } @lines;
return ($status, \%headers, $rest // "", $stderr);
}

sub json { return JSON::PP->new->decode($_[0]); }

# actions(scratch) : the webmin_log entries written so far
sub actions
{
my ($s) = @_;
open(my $fh, "<", "$s->{'var'}/actions.log") || return ();
my @a = map { json($_) } <$fh>;
close($fh);
return @a;
}

# start_hub(scratch) : a real hub on free ports, data and gateway socket in the var directory;
# returns its HTTP port (the browser socket's), and in list context its agent port too
my @hubs;
sub start_hub
{
my ($s) = @_;
my $hub = repo_dir()."/dist/hub.mjs";
-r $hub || die "$hub is missing: run npm run build first";
local %ENV = ( %ENV, 'DATA_DIR' => $s->{'var'}, 'GATEWAY_SOCKET' => "$s->{'var'}/hub.sock",
	       'HUB_PORT' => 0, 'AGENT_PORT' => 0, 'ADMIN_PASSWORD' => 'admin-password-1' );
my $pid = open3(my $in, my $out, undef, "node", $hub);
close($in);
push(@hubs, $pid);
local $SIG{'ALRM'} = sub { die "the hub did not start in 30 s" };
alarm(30);
my ($port, $agent_port);
while (my $l = <$out>) {
	if ($l =~ /hub: http:\/\/127\.0\.0\.1:(\d+)\/.*agents: wss:\/\/[^:]+:(\d+)\//) { ($port, $agent_port) = ($1, $2); last; }
	}
alarm(0);
$port || die "the hub exited before it listened";
# Keep draining its output so it never blocks on a full pipe.
if (!fork()) { while (<$out>) { } POSIX::_exit(0); } # no END blocks: they belong to the test
$s->{'hub_pid'} = $pid;
return wantarray ? ($port, $agent_port) : $port;
}

# api(scratch, user, method, path, [&body]) : (status, &answer) through nph-api.cgi as `user`
sub api
{
my ($s, $user, $method, $path, $body) = @_;
my $q = $path =~ s/\?(.*)$// ? $1 : '';
my ($st, undef, $b) = run_cgi($s, 'nph-api.cgi', user => $user, method => $method, path_info => $path, query => $q,
	body => defined($body) ? JSON::PP->new->canonical->encode($body) : '');
return ($st, $b ne '' ? json($b) : undef);
}

# wait_for(what, &code, [seconds]) : polls until code returns true; the deadline (default 60 s)
# scales with UC_TEST_TIME_SCALE, as the TypeScript tests' waitFor
sub wait_for
{
my ($what, $code, $secs) = @_;
my $scale = $ENV{'UC_TEST_TIME_SCALE'} && $ENV{'UC_TEST_TIME_SCALE'} > 1 ? $ENV{'UC_TEST_TIME_SCALE'} : 1;
my $end = time() + ($secs || 60) * $scale;
while (time() < $end) {
	my $v = eval { $code->() };
	return $v if ($v);
	select(undef, undef, undef, 0.1);
	}
die "timed out waiting for $what\n";
}

# free_port() : a loopback port nothing listens on, below the kernel's ephemeral range
sub free_port
{
open(my $fh, "<", "/proc/sys/net/ipv4/ip_local_port_range");
my ($low) = split(/\s+/, <$fh> // "32768");
for (1..100) {
	my $p = $low - 12000 + int(rand(12000));
	my $sock = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => $p, Listen => 1, ReuseAddr => 0);
	if ($sock) { close($sock); return $p; }
	}
die "no free port";
}

# spawn_bg(scratch, &env, command…) : a background process stopped at the end of the test (its
# output in the scratch directory, for failures); returns its pid
my @children;
sub spawn_bg
{
my ($s, $env, @cmd) = @_;
my $pid = fork();
defined($pid) || die "fork: $!";
if (!$pid) {
	%ENV = (%ENV, %$env);
	open(STDIN, "<", "/dev/null");
	open(STDOUT, ">>", "$s->{'root'}/bg.log");
	open(STDERR, ">&", \*STDOUT);
	exec(@cmd) || POSIX::_exit(127);
	}
push(@children, $pid);
return $pid;
}

# http_get(port, host, path) : (status, body) of one HTTP/1.0 request to 127.0.0.1 with that Host
sub http_get
{
my ($port, $host, $path) = @_;
my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port, Timeout => 10) || return (0, "connect: $!");
print $sock "GET ".($path || '/')." HTTP/1.0\r\nHost: $host\r\n\r\n";
local $/;
my $resp = <$sock> // '';
close($sock);
my ($head, $body) = split(/\r\n\r\n/, $resp, 2);
return ($head =~ /^HTTP\/1\.[01] (\d{3})/ ? $1 : 0, $body // '');
}

sub stop_hub
{
my ($s) = @_;
kill('TERM', $s->{'hub_pid'}) if ($s->{'hub_pid'});
waitpid($s->{'hub_pid'}, 0) if ($s->{'hub_pid'});
@hubs = grep { $_ != ($s->{'hub_pid'} || 0) } @hubs;
delete($s->{'hub_pid'});
}

END {
	kill('TERM', @hubs) if (@hubs);
	kill('TERM', @children) if (@children);
	waitpid($_, 0) foreach (@children);
}

1;
