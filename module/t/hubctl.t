# hubctl.pl: the hub service from a shell (start/stop themselves are tested in install_hooks.t).
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use UCTest;

my $s = scratch('systemd_dir' => "/nonexistent-systemd-$$");
local @ENV{qw(UC_TEST_CONFIG_DIR UC_TEST_VAR_DIR PERL5LIB PERL5OPT)} = ($s->{'conf'}, $s->{'var'}, module_dir()."/t/lib", '-MWebminStandIn');
# Run from another directory, by its full path, as an init script would.
chdir("/");
my $out = `$^X @{[module_dir()]}/hubctl.pl status 2>&1`;
is($? >> 8, 3, "status with no hub: exit 3");
like($out, qr/not started/, "and says so");
$out = `$^X @{[module_dir()]}/hubctl.pl frobnicate 2>&1`;
is($? >> 8, 1, "an unknown command: exit 1");
like($out, qr/usage: hubctl\.pl start\|stop\|status/, "with the usage");
open(my $fh, ">", "$s->{'var'}/hub.pid") || die $!;
print $fh "$$\n";
close($fh);
$out = `$^X @{[module_dir()]}/hubctl.pl status 2>&1`;
is($? >> 8, 0, "a live pid in hub.pid: running");
like($out, qr/running \(pid $$\)/, "with its pid");
done_testing();
