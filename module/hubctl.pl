#!/usr/local/bin/perl
# hubctl.pl start|stop|status : the hub service from a shell or an init script (root)

use strict;
use warnings;
our $no_acl_check;
BEGIN {
	# Run from anywhere: the module directory holds the libraries, its parent WebminCore.
	my $dir = $0 =~ /^(.*)\// ? $1 : ".";
	chdir($dir) || die "cannot enter $dir: $!";
	$ENV{'WEBMIN_CONFIG'} ||= "/etc/webmin";
	$ENV{'WEBMIN_VAR'} ||= "/var/webmin";
	}
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
