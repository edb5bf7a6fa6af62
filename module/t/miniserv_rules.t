# The stand-in's own rules (t/lib/UCTest.pm, t/lib/WebminStandIn.pm): each rule of miniserv and
# WebminCore the module relies on, shown with tiny CGIs, so a change that breaks one inside a real
# Webmin breaks here first.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use UCTest;

my $s = scratch();
my $dir = "$s->{'root'}/cgis";
mkdir($dir);
sub cgi
{
my ($name, $code) = @_;
open(my $fh, ">", "$dir/$name") || die $!;
print $fh "#!/usr/local/bin/perl\n$code";
close($fh);
}
cgi('status.cgi', 'print "Status: 403 Forbidden\nContent-type: application/json\n\n{}";');
cgi('nph-status.cgi', 'print "Status: 403 Forbidden\nContent-type: application/json\n\n{}";');
cgi('nph-real.cgi', 'print "HTTP/1.0 403 Forbidden\r\nContent-type: application/json\r\n\r\n{}";');
cgi('moved.cgi', 'print "Location: /elsewhere/\n\n";');
cgi('bare.cgi', 'print "X-Thing: 1\n\nhello";');
cgi('broken.cgi', 'print "not a header\n\nhello";');
cgi('checked.cgi', 'use WebminCore; init_config(); print "Content-type: text/plain\n\nran";');
cgi('unchecked.cgi', 'our $trust_unknown_referers = 1; use WebminCore; init_config(); print "Content-type: text/plain\n\nran";');
cgi('index.cgi', 'use WebminCore; init_config(); print "Content-type: text/plain\n\nran";');
sub run { my ($script, %o) = @_; return run_cgi($s, $script, dir => $dir, %o); }

my ($st, $h, $b) = run('status.cgi');
is($st, 200, "a CGI's Status: header does not set the status");
is($h->{'status'}, '403 Forbidden', "it is passed on as a plain header");
($st, $h, $b) = run('nph-status.cgi');
is($st, 0, "an nph- CGI without a status line gives the client none");
($st, $h, $b) = run('nph-real.cgi');
is($st, 403, "an nph- CGI's own status line is what the client gets");
is($b, '{}', "with its body");
is((run('moved.cgi'))[0], 302, "Location: redirects");
is((run('bare.cgi'))[0], 500, "no Content-Type: 500");
is((run('broken.cgi'))[0], 500, "a line that is not a header: 500");

for my $m ('PUT', 'SEARCH') {
	($st, $h, $b) = run('status.cgi', method => $m);
	is($st, 400, "$m: 400 before any CGI runs");
	like($b, qr/Bad Request method $m/, "$m: miniserv's reason");
	}
is((run('status.cgi', method => 'TRACE'))[0], 405, "TRACE: 405");
is((run('status.cgi', method => 'PATCH'))[0], 200, "PATCH passes");
is((run('status.cgi', method => 'DELETE'))[0], 200, "DELETE passes");

# WebminCore's Referer check in init_config.
($st, $h, $b) = run('checked.cgi');
is($b, 'ran', "a same-host Referer runs the CGI");
for my $r (undef, 'https://evil.example/', 'https://127.0.0.1:9999/') {
	($st, $h, $b) = run('checked.cgi', referer => $r);
	like($b, qr/Security Warning/, "Referer ".($r // 'none').": Webmin's warning page instead");
	unlike($b, qr/ran/, "and the CGI stops");
	like($h->{'content-type'}, qr/^text\/html/, "in HTML");
	}
($st, $h, $b) = run('unchecked.cgi', referer => undef);
is($b, 'ran', '$trust_unknown_referers = 1 turns the check off');
($st, $h, $b) = run('index.cgi', referer => undef);
is($b, 'ran', "a module's index.cgi needs no Referer");
done_testing();
