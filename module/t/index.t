# index.cgi: Webmin's header, then the UI's style and script with absolute paths and a mount call.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use UCTest;

my $s = scratch();
my $root = "$s->{'root'}/module-root";
mkdir($_) for ($root, "$root/ui", "$root/ui/assets");
for my $f ('main-Ab12Cd.js', 'main-Ef34Gh.css') {
	open(my $fh, ">", "$root/ui/assets/$f") || die $!;
	close($fh);
	}
my ($st, $h, $b) = run_cgi($s, 'index.cgi', env => { 'UC_TEST_MODULE_ROOT' => $root });
is($st, 200, "answers 200");
like($h->{'content-type'}, qr/^text\/html/, "an HTML page");
like($b, qr/data-dcontainer.*<h1>Unlimited Cluster<\/h1>/s, "Webmin's header first (ui_print_header)");
like($b, qr{<link rel="stylesheet" href="/unlimited-cluster/ui/assets/main-Ef34Gh\.css">}, "the stylesheet, by its absolute hashed path, in the body");
like($b, qr{import \{ mount \} from '/unlimited-cluster/ui/assets/main-Ab12Cd\.js';}, "the script, by its absolute hashed path");
my ($opts) = $b =~ /mount\(document\.getElementById\('unlimited-cluster-root'\), (\{.*?\})\);/;
ok($opts, "an inline mount call on the page's own element");
is_deeply(json($opts), { 'base' => '/unlimited-cluster/nph-api.cgi/', 'ticketUrl' => '/unlimited-cluster/nph-ticket.cgi',
			 'socketPath' => '/unlimited-cluster/ws', 'embedded' => JSON::PP::true },
	  "pointing the UI at the gateway, the ticket endpoint and miniserv's socket route");
like($b, qr{<div id="unlimited-cluster-root"[^>]*></div>\s*<script type="module">}, "the element comes before the script");

unlink(glob("$root/ui/assets/*"));
($st, $h, $b) = run_cgi($s, 'index.cgi', env => { 'UC_TEST_MODULE_ROOT' => $root });
like($b, qr/user interface is missing/, "without the built UI: a clear message");
unlike($b, qr/<script/, "and no broken script tag");
done_testing();
