# nph-api.cgi and nph-ticket.cgi against a real hub over its unix socket.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use UCTest;

my $s = scratch();
my $port = start_hub($s);
ok(-S "$s->{'var'}/hub.sock", "the hub listens on the gateway socket");
is((stat("$s->{'var'}/hub.sock"))[2] & 0777, 0600, "which only root may use");

my %FULL = map { $_ => 1 } qw(view editServers editConnections editClusters apply scale enroll exportImport);
set_acl($s, 'ops', %FULL, 'clusters' => '*');
set_acl($s, 'viewer', %FULL, 'editServers' => 0, 'clusters' => 'web-tier');
set_acl($s, 'nobody', map({ $_ => 0 } keys %FULL), 'clusters' => '*');

sub api { my ($user, $method, $path, %o) = @_; return run_cgi($s, 'nph-api.cgi', user => $user, method => $method, path_info => $path, %o); }

# The user and the module ACL reach the hub.
my ($st, $h, $b) = api('ops', 'GET', '/api/me');
is($st, 200, "GET /api/me: 200");
is_deeply(json($b), { 'name' => 'ops', 'acl' => { (map { $_ => JSON::PP::true } keys %FULL), 'scope' => '*' } }, "as the Webmin user, with every flag");
($st, $h, $b) = api('viewer', 'GET', '/api/me');
is_deeply(json($b)->{'acl'}{'scope'}, ['web-tier'], "a scoped ACL reaches the hub as its scope");
ok(!json($b)->{'acl'}{'editServers'}, "and a flag set to 0 as refused");
like($h->{'content-type'}, qr/^application\/json/, "answers are JSON");

# A change: forwarded with its body, answered with the hub's status, written to the action log.
my $server = '{"id":"web1","name":"Web 1","type":"web","ip":"10.0.0.1"}';
($st, $h, $b) = api('ops', 'POST', '/api/servers', body => $server);
is($st, 201, "POST /api/servers: the hub's 201 Created");
is(json($b)->{'id'}, 'web1', "with the hub's JSON");
my @log = actions($s);
is(scalar(@log), 1, "one action-log entry for the change");
is_deeply([ @{$log[0]}{qw(user action type object)} ], [ 'ops', 'post', 'servers', 'web1' ], "naming the user, action, type and object");

# A missing flag: the hub refuses, nothing changes, nothing is logged.
($st, $h, $b) = api('viewer', 'POST', '/api/servers', body => '{"id":"web2","name":"Web 2","type":"web","ip":"10.0.0.2"}');
is($st, 403, "without editServers: 403");
like(json($b)->{'error'}{'message'}, qr/edit servers/, "saying which permission is missing");
($st, $h, $b) = api('ops', 'GET', '/api/servers/web2');
is($st, 404, "and web2 was not created");
($st, $h, $b) = api('nobody', 'GET', '/api/servers');
is($st, 403, "without view: 403 on reading too");
is(scalar(actions($s)), 1, "refusals are not logged");

# Hub errors keep their status codes (nph- status lines).
($st, $h, $b) = api('ops', 'POST', '/api/servers', body => '{"id":"bad id"}');
is($st, 400, "an invalid body: 400");
is(json($b)->{'error'}{'code'}, 'invalid_body', "with the hub's error code");
($st) = api('ops', 'POST', '/api/servers', body => $server);
is($st, 409, "a duplicate id: 409");
($st) = api('ops', 'POST', '/api/servers', body => 'name=x', type => 'application/x-www-form-urlencoded');
is($st, 415, "a body that is not JSON: 415");
($st) = api('ops', 'GET', '/api/nothing-here');
is($st, 404, "an unknown endpoint: 404");
($st) = api('ops', 'PATCH', '/api/servers');
is($st, 405, "a wrong method: 405");
($st, $h, $b) = api('ops', 'GET', '/etc/passwd');
is($st, 404, "the gateway forwards only /api/ paths");
($st) = api('ops', 'GET', '/api/../metrics');
is($st, 404, "and no path that climbs out of /api/");
($st) = api('ops', 'GET', '/api/servers', query => "a=1 HTTP/1.0\r\nX-Webmin-User: root");
is($st, 404, "and no query string that could forge a header");
($st, $h, $b) = api('ops', 'DELETE', '/api/servers/web1');
is($st, 204, "DELETE: 204");
is($b, "", "with no body");
is_deeply([ @{(actions($s))[-1]}{qw(action type object)} ], [ 'delete', 'servers', 'web1' ], "and logged");

# The hub decodes the path before it checks it; the action log shows the path it served.
($st) = api('ops', 'GET', '/api/%2e%2e/metrics');
is($st, 400, "an encoded dot segment is refused like a literal one");
($st) = api('ops', 'POST', '/api/servers', body => '{"id":"web3","name":"Web 3","type":"web","ip":"10.0.0.3"}');
is($st, 201, "web3 created");
($st) = api('ops', 'DELETE', '/api/%73ervers/web%33');
is($st, 204, "a percent-encoded path is served decoded");
is_deeply([ @{(actions($s))[-1]}{qw(action type object)} ], [ 'delete', 'servers', 'web3' ], "and logged as what was served");
is((actions($s))[-1]{'params'}{'path'}, '/api/servers/web3', "with the served path");
($st) = api('ops', 'POST', '/api/clusters', body => '{"name":"shop"}');
($st) = api('ops', 'POST', '/api/clusters/shop/scaling/policy', body => '{"min":1,"max":2}');
is($st, 200, "a scaling policy through the gateway");
is_deeply([ @{(actions($s))[-1]}{qw(action type object)} ], [ 'post', 'clusters_scaling_policy', 'shop' ], "logged as a change of the cluster's scaling, not a new cluster");
($st, $h, $b) = api('ops', 'GET', '/api/servers', query => 'x=1');
is($st, 200, "a query string is passed on");

# miniserv refuses PUT (and SEARCH) before the CGI runs: what the UI needs uses PATCH.
($st, $h, $b) = api('ops', 'POST', '/api/servers', body => '{"id":"web3","name":"Web 3","type":"web","ip":"10.0.0.3"}');
is($st, 201, "a server to drag");
($st, $h, $b) = api('ops', 'PUT', '/api/layout', body => '{"positions":{"web3":{"x":1,"y":2}}}');
is($st, 400, "PUT never reaches the module inside Webmin");
like($b, qr/Bad Request method PUT/, "miniserv says why");
($st, $h, $b) = api('ops', 'PATCH', '/api/layout', body => '{"positions":{"web3":{"x":1,"y":2}}}');
is($st, 200, "dragging a server: PATCH /api/layout passes");
is_deeply(json($b)->{'web3'}, { 'x' => 1, 'y' => 2 }, "and the position is kept");
($st, $h, $b) = api('ops', 'PATCH', '/api/alert-rules/cpu-high', body => '{"threshold":95}');
is($st, 200, "changing an alert rule: PATCH passes");
is(json($b)->{'threshold'}, 95, "and changes it");

# Without a same-host Referer (a link or form from elsewhere): a JSON 403 with a status line.
my $before = scalar(actions($s));
for my $case ([ 'no Referer', undef ], [ 'another site', 'https://evil.example/x' ],
	      [ 'this host on another port', 'https://127.0.0.1:10001/unlimited-cluster/' ]) {
	($st, $h, $b) = api('ops', 'DELETE', '/api/servers/web3', referer => $case->[1]);
	is($st, 403, "$case->[0]: 403 with a real status line");
	like($h->{'content-type'}, qr/^application\/json/, "$case->[0]: in JSON");
	is(json($b)->{'error'}{'code'}, 'untrusted_referer', "$case->[0]: saying why");
	($st) = run_cgi($s, 'nph-ticket.cgi', user => 'ops', method => 'POST', referer => $case->[1]);
	is($st, 403, "$case->[0]: no ticket either");
	}
is(scalar(actions($s)), $before, "nothing was done or logged");
($st) = api('ops', 'GET', '/api/servers/web3');
is($st, 200, "and web3 is still there");
($st) = api('ops', 'GET', '/api/me', referer => undef, agent => 'Webmin');
is($st, 200, "Webmin's own RPC (user agent Webmin) is trusted, as Webmin trusts it");
{
	# Webmin's own settings decide, as for every other module.
	my $g = "$s->{'root'}/webmin-config";
	UCTest::write_conf($g, { 'referers_none' => 0 });
	local $ENV{'UC_TEST_GCONFIG'} = $g;
	($st) = api('ops', 'GET', '/api/me', referer => undef);
	is($st, 200, "referers_none=0: no Referer is trusted");
	($st) = api('ops', 'GET', '/api/me', referer => 'https://evil.example/');
	is($st, 403, "but another site still is not");
	UCTest::write_conf($g, { 'referers_none' => 1, 'referers' => 'portal.example' });
	($st) = api('ops', 'GET', '/api/me', referer => 'https://portal.example/');
	is($st, 200, "a site listed in Trusted Referrers is trusted");
	}

# Tickets minted in Perl are accepted by the hub's browser socket, once.
my ($tst, undef, $tb) = run_cgi($s, 'nph-ticket.cgi', user => 'viewer', method => 'POST');
is($tst, 200, "nph-ticket.cgi: 200");
my $ticket = json($tb)->{'ticket'};
like($ticket, qr/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, "base64url(claims).base64url(hmac)");
my $ws = "ws://127.0.0.1:$port/ws";
my $helper = "$FindBin::Bin/lib/ws-auth.mjs";
my $frame = json(`node $helper $ws $ticket`);
is($frame->{'type'}, 'snapshot', "the hub's browser socket accepts it and sends a snapshot");
is($frame->{'user'}{'name'}, 'viewer', "as the Webmin user");
is_deeply($frame->{'user'}{'acl'}{'scope'}, ['web-tier'], "with the module ACL's scope");
$frame = json(`node $helper $ws $ticket`);
is($frame->{'type'}, 'error', "the same ticket a second time is refused");
(my $forged = $ticket) =~ s/^(.)/$1 eq 'A' ? 'B' : 'A'/e;
$frame = json(`node $helper $ws $forged`);
is($frame->{'type'}, 'error', "a tampered ticket is refused");
($tst, undef, $tb) = run_cgi($s, 'nph-ticket.cgi', user => 'nobody', method => 'POST');
is($tst, 403, "no ticket without the view permission");
($tst) = run_cgi($s, 'nph-ticket.cgi', user => 'ops', method => 'GET');
is($tst, 405, "tickets only by POST");

# The hub gone: a clear 502 in JSON, not a hung request or an HTML page.
stop_hub($s);
($st, $h, $b) = api('ops', 'GET', '/api/servers');
is($st, 502, "hub down: 502");
is(json($b)->{'error'}{'code'}, 'hub_unreachable', "saying the hub is not answering");

# No ticket secret: a clear 503.
unlink("$s->{'var'}/ticket.secret");
($tst, undef, $tb) = run_cgi($s, 'nph-ticket.cgi', user => 'ops', method => 'POST');
is($tst, 503, "no ticket secret: 503");

done_testing();
