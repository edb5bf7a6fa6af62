# unlimited-cluster-lib.pl
# The module's thin Perl: talk to the hub over its root-only unix socket, mint browser-socket
# tickets, answer JSON. Every decision about the model and the ACL is the hub's.

BEGIN { push(@INC, ".."); };
use strict;
use warnings;
use WebminCore;
use IO::Socket::UNIX;
use JSON::PP;
use Digest::SHA qw(hmac_sha256);
use MIME::Base64 qw(encode_base64url);
our (%config, %gconfig, %text, %access, $module_var_directory, $module_root_directory, $module_config_directory, $remote_user, $base_remote_user);
&init_config();
%access = &get_module_acl();

# The ACL flags, in the order the ACL editor shows them; the same names as the hub's flags.
our @acl_flags = qw(view editServers editConnections editClusters apply scale enroll exportImport);

our $TICKET_TTL = 30;
# The hub's own limit for the largest bodies (imports and restores: agent/hub/http/body.ts).
our $MAX_BODY = 32 * 1024 * 1024;

# hub_data_dir() : where the hub keeps its state, secrets and gateway socket (kept on upgrade)
sub hub_data_dir
{
return $config{'data_dir'} || $module_var_directory;
}

sub hub_socket
{
return $config{'hub_socket'} || &hub_data_dir()."/hub.sock";
}

sub ticket_secret_file
{
return &hub_data_dir()."/ticket.secret";
}

# json_error(code, message) : the hub's error body
sub json_error
{
my ($code, $message) = @_;
return JSON::PP->new->canonical->encode({ 'error' => { 'code' => $code, 'message' => $message } });
}

our %REASONS = ( 200 => 'OK', 201 => 'Created', 204 => 'No Content', 400 => 'Bad Request',
	401 => 'Unauthorized', 403 => 'Forbidden', 404 => 'Not Found', 405 => 'Method Not Allowed',
	409 => 'Conflict', 413 => 'Payload Too Large', 415 => 'Unsupported Media Type',
	429 => 'Too Many Requests', 500 => 'Internal Server Error', 502 => 'Bad Gateway',
	503 => 'Service Unavailable', 504 => 'Gateway Timeout' );

# print_nph(status, body, [&headers]) : a whole HTTP response, as an nph- CGI must write it
# (miniserv ignores a Status: header)
sub print_nph
{
my ($status, $body, $headers) = @_;
$body = "" if (!defined($body) || $status == 204);
my $reason = $REASONS{$status} || 'Status';
my $out = "HTTP/1.0 $status $reason\r\n";
$out .= "Content-Type: application/json; charset=utf-8\r\n" if (length($body));
$out .= "Content-Length: ".length($body)."\r\n";
$out .= "Cache-Control: no-store\r\n";
foreach my $h (sort keys %{$headers || {}}) {
	$out .= "$h: $headers->{$h}\r\n";
	}
$out .= "X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n";
print $out, $body;
}

# referer_trusted() : whether Webmin would trust this request's Referer. The JSON CGIs set
# $trust_unknown_referers = 1 so that init_config does not answer an untrusted one with its HTML
# warning (which has no status line under nph-); they apply the same rules, in the same order,
# from the same settings (web-lib-funcs.pl, Webmin 2.6), and answer JSON.
sub referer_trusted
{
my $r = $ENV{'HTTP_REFERER'} // '';
my ($site, $rport) = (undef, $r =~ /^https:/ ? 443 : 80);
if ($r =~ /^(http|https|ftp):\/\/([^:\/]+:[^@\/]+@)?\[([^\]]+)\](:(\d+))?/ ||
    $r =~ /^(http|https|ftp):\/\/([^:\/]+:[^@\/]+@)?([^\/:@]+)(:(\d+))?/) {
	($site, $rport) = ($3, $5 || $rport);
	}
my $host = $ENV{'HTTP_HOST'} // '';
my $port = $ENV{'SERVER_PORT'} || 80;
$port = $1 if ($host =~ s/:(\d+)$//);
$host =~ s/^\[(\S+)\]$/$1/;
return 1 if ($ENV{'DISABLE_REFERERS_CHECK'} || $gconfig{'referer'} || !$ENV{'MINISERV_CONFIG'} ||
	     ($ENV{'HTTP_USER_AGENT'} // '') =~ /^Webmin/i);
return !$gconfig{'referers_none'} if (!$site);
return 1 if (grep { $_ eq $site } split(/\s+/, $gconfig{'referers'} // ''));
return $site eq $host && (!$rport || !$port || $rport == $port);
}

# require_trusted_referer() : a JSON 403 with a real status line, and the end of the request,
# unless referer_trusted()
sub require_trusted_referer
{
return if (&referer_trusted());
&print_nph(403, &json_error('untrusted_referer',
	"This request did not come from a page of this Webmin server (no same-host Referer header). ".
	"Use the module's page, or list the calling site in Webmin Configuration → Trusted Referrers."));
exit(0);
}

# hub_request(method, path, body, content-type, [user, &acl]) : (status, body, &headers) from
# the hub, as the current Webmin user with this module's ACL (or as `user` with `acl`: the
# Virtualmin plugin acts for whoever drives Virtualmin); 502 when the hub cannot be reached
sub hub_request
{
my ($method, $path, $body, $ctype, $as_user, $as_acl) = @_;
my $sock = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => &hub_socket());
if (!$sock) {
	return (502, &json_error('hub_unreachable',
		"The hub is not answering on ".&hub_socket()." ($!). Start it: see the module's help page."), {});
	}
my $acl = JSON::PP->new->canonical->encode({ %{$as_acl || \%access} });
my $user = defined($as_user) ? $as_user : $remote_user;
$user =~ s/[\r\n]//g;
$body = "" if (!defined($body));
my $req = "$method $path HTTP/1.0\r\nHost: hub\r\nConnection: close\r\n".
	  "X-Webmin-User: $user\r\nX-Webmin-Acl: $acl\r\n";
$req .= "Content-Type: $ctype\r\n" if ($ctype);
$req .= "Content-Length: ".length($body)."\r\n" if (length($body) || $method ne 'GET');
print $sock $req, "\r\n", $body;
local $/;
my $resp = <$sock>;
close($sock);
my ($head, $rbody) = split(/\r\n\r\n/, $resp // "", 2);
my @lines = split(/\r\n/, $head // "");
my $statusline = shift(@lines) // "";
if ($statusline !~ /^HTTP\/1\.[01] (\d{3})/) {
	return (502, &json_error('hub_bad_answer', "The hub gave no HTTP answer."), {});
	}
my $status = $1;
my %headers;
foreach my $l (@lines) {
	$headers{lc($1)} = $2 if ($l =~ /^([^:]+):\s*(.*)$/);
	}
return ($status, $rbody // "", \%headers);
}

# hub_acl(&access) : the module ACL in the hub's own shape, for tickets
# (the same mapping as agent/hub/auth/webmin.ts; both are tested against the hub)
sub hub_acl
{
my ($a) = @_;
my %acl = map { $_ => ($a->{$_} && $a->{$_} eq '1' ? JSON::PP::true : JSON::PP::false) } @acl_flags;
my $clusters = defined($a->{'clusters'}) ? $a->{'clusters'} : '';
$clusters =~ s/^\s+|\s+$//g;
my %seen;
$acl{'scope'} = $clusters eq '*' ? '*' : [ grep { !$seen{$_}++ } split(/\s+/, $clusters) ];
return \%acl;
}

# read_ticket_secret() : the hub's ticket secret (made by postinstall.pl), or undef
sub read_ticket_secret
{
open(my $fh, "<", &ticket_secret_file()) || return undef;
my $secret = <$fh>;
close($fh);
return undef if (!defined($secret));
$secret =~ s/\s+$//;
return length($secret) >= 32 ? $secret : undef;
}

# random_bytes(n)
sub random_bytes
{
my ($n) = @_;
open(my $fh, "<", "/dev/urandom") || die "cannot read /dev/urandom: $!";
my $buf = "";
read($fh, $buf, $n) == $n || die "short read from /dev/urandom";
close($fh);
return $buf;
}

# mint_ticket(secret, user, &access, [now]) : base64url(json).base64url(hmac-sha256), as
# agent/hub/auth/tickets.ts verifies it
sub mint_ticket
{
my ($secret, $user, $a, $now) = @_;
$now = time() if (!defined($now));
my $claims = { 'user' => $user, 'acl' => &hub_acl($a), 'exp' => int($now) + $TICKET_TTL,
	       'nonce' => encode_base64url(&random_bytes(12)) };
my $payload = encode_base64url(JSON::PP->new->canonical->utf8->encode($claims));
return $payload.".".encode_base64url(hmac_sha256($payload, $secret));
}

# create_ticket_secret() : a root-only random secret, unless one is there (upgrades keep it)
sub create_ticket_secret
{
my $file = &ticket_secret_file();
return 0 if (&read_ticket_secret());
my $tmp = "$file.tmp.$$";
my $old = umask(077);
open(my $fh, ">", $tmp) || die "cannot write $tmp: $!";
print $fh encode_base64url(&random_bytes(32)), "\n";
close($fh) || die "cannot write $tmp: $!";
umask($old);
chmod(0600, $tmp);
rename($tmp, $file) || die "cannot rename $tmp: $!";
return 1;
}

# websocket_route() : the static miniserv route to the hub's browser socket
sub websocket_route
{
my $port = &setting('hub_port', 8080);
return ("websockets_/unlimited-cluster/ws", "host=127.0.0.1 port=$port wspath=/ws nokey=1");
}

# hub_env() : the hub's environment, from the module configuration
sub hub_env
{
my %env = ( 'DATA_DIR' => &hub_data_dir(), 'GATEWAY_SOCKET' => &hub_socket(),
	    'HUB_HOST' => '127.0.0.1', 'HUB_PORT' => &setting('hub_port', 8080),
	    'AGENT_HOST' => &setting('agent_host', '0.0.0.0'),
	    'AGENT_PORT' => &setting('agent_port', 10443),
	    # This host's own agent, so the Webmin host is on the diagram from the start.
	    'LOCAL_AGENT' => &setting('local_agent', 1) ? 1 : 0,
	    'UI_ROOT' => "$module_root_directory/ui" );
my %optional = ( 'agent_public_url' => 'AGENT_PUBLIC_URL', 'warn_cpu_pct' => 'WARN_CPU_PCT',
		 'warn_mem_pct' => 'WARN_MEM_PCT', 'warn_disk_pct' => 'WARN_DISK_PCT' );
foreach my $k (keys %optional) {
	$env{$optional{$k}} = $config{$k} if (&setting($k, '') ne '');
	}
$env{'STALE_AFTER_MS'} = $config{'stale_after_s'} * 1000 if (&setting('stale_after_s', '') =~ /^\d+$/);
# The hub validates every value and refuses to start with a clear message.
return \%env;
}

# setting(key, default) : a module config value, or the default when unset or empty
sub setting
{
my ($k, $default) = @_;
return defined($config{$k}) && $config{$k} ne '' ? $config{$k} : $default;
}

1;
