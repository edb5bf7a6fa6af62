# hubctl.pl: the hub service from a shell (start/stop themselves are tested in install_hooks.t),
# in a Webmin layout (root/unlimited-cluster, a config directory with miniserv.conf and var-path)
# found the way Webmin finds a command-line script's settings.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use File::Temp qw(tempdir);
use UCTest;

my $t = tempdir("uc-hubctl-XXXXXX", TMPDIR => 1, CLEANUP => 1);
my ($root, $config, $var) = ("$t/webmin", "$t/etc-webmin", "$t/var-webmin");
my $mod = "$root/unlimited-cluster";
mkdir($_) for ($root, $mod, $config, "$config/unlimited-cluster", $var, "$var/modules", "$var/modules/unlimited-cluster");
system('cp', '-r', glob(module_dir()."/*.pl"), glob(module_dir()."/*.cgi"), module_dir()."/lang", $mod) == 0 || die "cp failed";
UCTest::write_conf("$config/miniserv.conf", { 'root' => $root, 'port' => 10000 });
UCTest::write_conf("$config/unlimited-cluster/config", { 'systemd_dir' => "/nonexistent-systemd-$$" });
open(my $fh, ">", "$config/var-path") || die $!;
print $fh "$var\n";
close($fh);

# No WEBMIN_CONFIG, no WEBMIN_VAR: as from root's shell or an init script.
local %ENV = ( 'PATH' => $ENV{'PATH'}, 'PERL5LIB' => module_dir()."/t/lib", 'PERL5OPT' => '-MWebminStandIn' );
sub hubctl { my ($how, @args) = @_; my $out = `$how @args 2>&1`; return ($? >> 8, $out); }
chdir("/");
my ($rc, $out) = hubctl("$^X $mod/hubctl.pl", 'status');
isnt($rc, 3, "before postinstall recorded where Webmin's config is, it cannot be found here");
like($out, qr/cannot find Webmin's configuration directory.*WEBMIN_CONFIG/, "and it says how to name it");

# What postinstall.pl records.
open($fh, ">", "$mod/webmin-config-dir") || die $!;
print $fh "$config\n";
close($fh);
($rc, $out) = hubctl("$^X $mod/hubctl.pl", 'status');
is($rc, 3, "status by full path, without WEBMIN_CONFIG: exit 3 (not running)");
like($out, qr/not started/, "and says so");
($rc, $out) = hubctl("$^X $mod/hubctl.pl", 'frobnicate');
is($rc, 1, "an unknown command: exit 1");
like($out, qr/usage: hubctl\.pl start\|stop\|status/, "with the usage");

open($fh, ">", "$var/modules/unlimited-cluster/hub.pid") || die $!;
print $fh "$$\n";
close($fh);
($rc, $out) = hubctl("$^X $mod/hubctl.pl", 'status');
is($rc, 0, "a live pid in the module's var directory (from var-path): running");
like($out, qr/running \(pid $$\)/, "with its pid");
chdir($mod);
($rc, $out) = hubctl("$^X ./hubctl.pl", 'status');
is($rc, 0, "run as ./hubctl.pl from the module directory: the same");
chdir("/");

($rc, $out) = hubctl("WEBMIN_CONFIG=$t/nowhere $^X $mod/hubctl.pl", 'status');
like($out, qr/cannot find Webmin's configuration directory/, "a WEBMIN_CONFIG without miniserv.conf: a clear message");
isnt($rc, 0, "and a failure");
done_testing();
