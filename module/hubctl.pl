#!/usr/local/bin/perl
# hubctl.pl start|stop|status : the hub service from a shell or an init script (root)

use strict;
use warnings;
use Cwd ();
our $no_acl_check;
# Run from anywhere, with or without WEBMIN_CONFIG. Webmin finds a command-line script's
# module by its full path under Webmin's root (miniserv.conf's root=), and its settings
# from WEBMIN_CONFIG: the Webmin config directory postinstall.pl recorded, else the usual
# places. The module directory holds the libraries, its parent WebminCore.
my $dir = $0 =~ /^(.*)\// ? $1 : ".";
chdir($dir) || die "cannot enter $dir: $!\n";
my ($moddir) = Cwd::getcwd() =~ /([^\/]+)$/;
my @recorded;
if (open(my $fh, "<", "webmin-config-dir")) {
	@recorded = map { chomp; $_ } <$fh>;
	}
my @found = grep { -r "$_/miniserv.conf" }
	$ENV{'WEBMIN_CONFIG'} || (@recorded, "/etc/webmin", "/usr/local/etc/webmin");
my $config = $found[0] || die "hubctl.pl: cannot find Webmin's configuration directory (with miniserv.conf): ".
	"set WEBMIN_CONFIG to it, e.g. WEBMIN_CONFIG=/etc/webmin $0\n";
$ENV{'WEBMIN_CONFIG'} = $config;
open(my $ms, "<", "$config/miniserv.conf") || die "hubctl.pl: cannot read $config/miniserv.conf: $!\n";
my ($root) = map { /^root=(.*)$/ ? $1 : () } <$ms>;
$0 = "$root/$moddir/hubctl.pl" if ($root);
$no_acl_check++;
require './unlimited-cluster-lib.pl';
require './service-lib.pl';

my $cmd = $ARGV[0] || "";
if ($cmd eq "start") {
	print &start_hub(), "\n";
	}
elsif ($cmd eq "stop") {
	&stop_hub();
	print "stopped\n";
	}
elsif ($cmd eq "status") {
	my $pid = &hub_running_pid();
	print $pid ? "running (pid $pid)\n" : "not started by hubctl.pl\n";
	exit($pid ? 0 : 3);
	}
else {
	print STDERR "usage: hubctl.pl start|stop|status\n";
	exit(1);
	}
