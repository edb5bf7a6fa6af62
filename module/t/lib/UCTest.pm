# UCTest.pm: runs the module's CGIs the way miniserv does (a perl process in the module
# directory, CGI environment, the body on stdin, the response on stdout) against the WebminCore
# stand-in in this directory, and starts a real hub (dist/hub.mjs) for them to talk to.
package UCTest;
use strict;
use warnings;
use Cwd qw(abs_path getcwd);
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

# run_cgi(scratch, script, method => , path_info =>, query =>, body =>, type =>, user =>,
#         referer =>, host =>, agent =>, dir =>, env => {})
# : (status, &headers, body, stderr), as a browser would see miniserv's answer. miniserv's rules
# that the module relies on (miniserv-lib.pl, Webmin 2.6), reproduced here:
#   - PUT and SEARCH outside a WebDAV path (the module has none) are refused before any CGI
#     runs: 400 "Bad Request method PUT"; CONNECT and TRACE: 405.
#   - A Perl CGI runs inside miniserv in the package named after its module (non-alphanumerics
#     as _), with the CGI environment below; the request's headers become HTTP_* (never
#     Authorization).
#   - An nph- script's output goes to the client untouched: without its own status line the
#     client gets no status at all (status 0 here). Any other CGI's headers are parsed: a
#     Location: header makes a 302, a missing Content-Type a 500, a line that is no header a
#     500; otherwise the status is always 200 ("Document follows"): a Status: header is only
#     passed on as a header, never used.
# The Referer check is WebminCore's (init_config), in WebminStandIn.pm. A request gets the
# same-host Referer a browser sends unless `referer` says otherwise (undef: none). `dir` runs a
# script from another directory than the module's (the stand-in's own tests).
my %REFUSED = ( 'PUT' => [400, 'Bad Request method PUT'], 'SEARCH' => [400, 'Bad Request method SEARCH'],
		'CONNECT' => [405, 'Method CONNECT is not supported'], 'TRACE' => [405, 'Method TRACE is not supported'] );
sub run_cgi
{
my ($s, $script, %o) = @_;
my $method = $o{'method'} || 'GET';
if (my $r = $REFUSED{$method}) {
	return ($r->[0], { 'content-type' => 'text/html; Charset=utf-8' }, "<html><body><h2>Error &mdash; $r->[1]</h2></body></html>\n", "");
	}
my $dir = $o{'dir'} // module_dir();
my $cwd = getcwd();
chdir($dir) || die "cannot enter $dir: $!";
my $body = $o{'body'} // "";
my $host = $o{'host'} // '127.0.0.1:10000';
my $referer = exists($o{'referer'}) ? $o{'referer'} : "https://$host/unlimited-cluster/";
my ($server_port) = $host =~ /:(\d+)$/;
my $path_info = $o{'path_info'} // '';
my $query = $o{'query'} // '';
local %ENV = ( 'PATH' => $ENV{'PATH'}, 'PERL5LIB' => $ENV{'PERL5LIB'} // '',
	'GATEWAY_INTERFACE' => 'CGI/1.1', 'SERVER_PROTOCOL' => 'HTTP/1.0',
	'SERVER_PORT' => $server_port || 443, 'HTTPS' => 'ON',
	'REQUEST_METHOD' => $method,
	'SCRIPT_NAME' => "/unlimited-cluster/$script",
	'SCRIPT_FILENAME' => "$dir/$script",
	'REQUEST_URI' => "/unlimited-cluster/$script$path_info".($query ne '' ? "?$query" : ''),
	'PATH_INFO' => $path_info,
	'QUERY_STRING' => $query,
	'CONTENT_LENGTH' => length($body),
	'CONTENT_TYPE' => $o{'type'} // ($body ne '' ? 'application/json' : ''),
	'REMOTE_USER' => $o{'user'} || 'root',
	'MINISERV_CONFIG' => $s->{'root'}.'/miniserv.conf',
	'HTTP_HOST' => $host,
	(defined($referer) ? ('HTTP_REFERER' => $referer) : ()),
	(defined($o{'agent'}) ? ('HTTP_USER_AGENT' => $o{'agent'}) : ()),
	'UC_TEST_CONFIG_DIR' => $s->{'conf'}, 'UC_TEST_VAR_DIR' => $s->{'var'},
	(map { exists($ENV{$_}) ? ($_ => $ENV{$_}) : () } qw(UC_TEST_MODULE_ROOT UC_TEST_GCONFIG UC_TEST_MINISERV)),
	%{$o{'env'} || {}} );
my $err = gensym;
(my $pkg = 'unlimited-cluster') =~ s/[^A-Za-z0-9]/_/g;
my $pid = open3(my $in, my $out, $err, $^X, "-I".module_dir()."/t/lib", "-MWebminStandIn", "-e",
		"\$0 = shift; package $pkg; do \$0; die \$@ if (\$@);", "$dir/$script");
chdir($cwd);
print $in $body;
close($in);
local $/;
my $stdout = <$out> // "";
my $stderr = <$err> // "";
waitpid($pid, 0);
die "$script exited with ".($? >> 8).": $stderr" if ($?);
return $script =~ /^nph-/ ? nph_answer($stdout, $stderr) : cgi_answer($stdout, $stderr);
}

# An nph- script's output as the client parses it: a status line, or none (status 0).
sub nph_answer
{
my ($stdout, $stderr) = @_;
return (0, {}, $stdout, $stderr) if ($stdout !~ /^HTTP\/1\.[01] (\d{3}) /);
my $status = $1;
my ($head, $rest) = split(/\r?\n\r?\n/, $stdout, 2);
my @lines = split(/\r?\n/, $head);
shift(@lines);
return ($status, { map { /^([^:]+):\s*(.*)$/ ? (lc($1) => $2) : () } @lines }, $rest // "", $stderr);
}

# Another CGI's output as miniserv answers it (the headers it parsed, a status of its own).
sub cgi_answer
{
my ($stdout, $stderr) = @_;
my %headers;
while ($stdout =~ s/^([^\r\n]*)\r?\n//) {
	my $l = $1;
	last if ($l !~ /\S/);
	return (500, {}, "Bad Header", $stderr) if ($l !~ /^(\S+):\s+(.*)$/);
	$headers{lc($1)} = $2;
	}
return (302, \%headers, "", $stderr) if ($headers{'location'});
return (500, {}, "Missing Content-Type Header", $stderr) if (($headers{'content-type'} // '') eq '');
return (200, \%headers, $stdout, $stderr);
}

sub json { return JSON::PP->new->decode($_[0]); }

# wait_for(what, &check, [seconds]) : check's first true answer, polled until a deadline of
# `seconds` (default 60) scaled by UC_TEST_TIME_SCALE, as the TypeScript tests' waitFor; dies
# naming `what` when it passes
sub wait_for
{
my ($what, $check, $seconds) = @_;
my $scale = ($ENV{'UC_TEST_TIME_SCALE'} // '') =~ /^\d+(\.\d+)?$/ && $ENV{'UC_TEST_TIME_SCALE'} > 1 ? $ENV{'UC_TEST_TIME_SCALE'} : 1;
my $end = time() + ($seconds || 60) * $scale;
while (time() < $end) {
	my $v = eval { $check->() };
	return $v if ($v);
	select(undef, undef, undef, 0.1);
	}
die "timed out waiting for $what\n";
}

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
