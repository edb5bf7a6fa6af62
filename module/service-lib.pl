# service-lib.pl
# Installs, starts and stops the hub: a systemd unit where systemd runs, otherwise a process
# started now with a pid file (and a message that it will not start at boot).

use strict;
use warnings;
use POSIX qw(setsid);
our (%config, $config_directory, $module_root_directory, $module_config_directory);

our $UNIT = "unlimited-cluster-hub";

sub systemd_running
{
return -d ($config{'systemd_dir'} || "/run/systemd/system");
}

sub unit_file
{
return ($config{'unit_dir'} || "/etc/systemd/system")."/$UNIT.service";
}

sub hub_pid_file
{
return &hub_data_dir()."/hub.pid";
}

sub hub_env_file
{
return "$module_config_directory/hub.env";
}

# node_path() : the Node.js the hub runs on, or undef
sub node_path
{
return $config{'node'} if ($config{'node'} && -x $config{'node'});
foreach my $d (split(/:/, $ENV{'PATH'} || ""), "/usr/bin", "/usr/local/bin") {
	return "$d/node" if (-x "$d/node");
	}
return undef;
}

# write_hub_env() : the environment file the unit (and a direct start) reads
sub write_hub_env
{
my $env = &hub_env();
my $file = &hub_env_file();
open(my $fh, ">", "$file.tmp") || die "cannot write $file.tmp: $!";
print $fh map { "$_=$env->{$_}\n" } sort keys %$env;
close($fh) || die "cannot write $file.tmp: $!";
chmod(0600, "$file.tmp");
rename("$file.tmp", $file) || die "cannot rename $file.tmp: $!";
}

# hub_running_pid() : the pid of a hub this module started directly, or 0
sub hub_running_pid
{
open(my $fh, "<", &hub_pid_file()) || return 0;
my $pid = <$fh>;
close($fh);
return ($pid && $pid =~ /^(\d+)/ && kill(0, $1)) ? $1 : 0;
}

# start_hub() : returns a sentence saying what was done
sub start_hub
{
my $node = &node_path() || die "Node.js (18 or later) is not installed: apt-get install nodejs\n";
&write_hub_env();
my $hub = "$module_root_directory/hub.mjs";
if (&systemd_running()) {
	my $unit = &unit_file();
	open(my $fh, ">", $unit) || die "cannot write $unit: $!";
	print $fh "[Unit]\nDescription=Unlimited Cluster hub\nAfter=network.target\n\n",
		  "[Service]\nEnvironmentFile=".&hub_env_file()."\nExecStart=$node $hub\n",
		  "Restart=on-failure\nUMask=0077\n\n[Install]\nWantedBy=multi-user.target\n";
	close($fh);
	system("systemctl daemon-reload && systemctl enable $UNIT >/dev/null 2>&1 && systemctl restart $UNIT") == 0
		|| die "systemctl could not start $UNIT\n";
	return "The hub runs as the systemd service $UNIT.";
	}
&stop_hub();
my $env = &hub_env();
my $log = &hub_data_dir()."/hub.log";
my $pid = fork();
defined($pid) || die "fork failed: $!";
if (!$pid) {
	setsid();
	umask(077);
	%ENV = (%ENV, %$env);
	open(STDIN, "<", "/dev/null");
	open(STDOUT, ">>", $log);
	open(STDERR, ">&", \*STDOUT);
	exec($node, $hub) || POSIX::_exit(127);
	}
open(my $fh, ">", &hub_pid_file()) || die "cannot write the pid file: $!";
print $fh "$pid\n";
close($fh);
return "systemd is not running on this host: the hub was started now (pid $pid, log $log) ".
       "but will not start at boot. Run $module_root_directory/hubctl.pl start from your init system.";
}

# stop_hub()
sub stop_hub
{
if (&systemd_running() && -r &unit_file()) {
	system("systemctl stop $UNIT >/dev/null 2>&1");
	return;
	}
my $pid = &hub_running_pid() || return;
kill('TERM', $pid);
for (my $i = 0; $i < 50 && kill(0, $pid); $i++) {
	# Reap it when this process started it (postinstall run twice in one process).
	last if (waitpid($pid, POSIX::WNOHANG()) == $pid);
	select(undef, undef, undef, 0.1);
	}
unlink(&hub_pid_file());
}

# record_webmin_config_dir() : where Webmin's configuration lives, for hubctl.pl run from a
# shell without WEBMIN_CONFIG (kept in the module directory: an upgrade writes it again)
sub record_webmin_config_dir
{
my $file = "$module_root_directory/webmin-config-dir";
open(my $fh, ">", "$file.tmp") || die "cannot write $file.tmp: $!";
print $fh "$config_directory\n";
close($fh) || die "cannot write $file.tmp: $!";
rename("$file.tmp", $file) || die "cannot rename $file.tmp: $!";
}

# remove_hub_service() : stops the hub and removes its unit (data stays)
sub remove_hub_service
{
&stop_hub();
if (&systemd_running() && -r &unit_file()) {
	system("systemctl disable $UNIT >/dev/null 2>&1");
	unlink(&unit_file());
	system("systemctl daemon-reload >/dev/null 2>&1");
	}
}

1;
