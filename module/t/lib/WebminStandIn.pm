# WebminStandIn.pm: a stand-in for the few WebminCore functions and variables the module's Perl
# uses, so prove can run each CGI and hook the way miniserv does (environment, stdin, stdout).
# It is not Webmin's code: loaded first (perl -MWebminStandIn, or `use UCTest`), it registers
# itself as WebminCore.pm, so the module's own `use WebminCore;` finds it.
# Only what the module calls is here, with Webmin's semantics; the environment says where
# things live:
#   UC_TEST_CONFIG_DIR   the module's config directory: `config`, and USER.acl files
#                        (a user's ACL is ../defaultacl overlaid with USER.acl, as Webmin does);
#                        without it a script is a command-line one, found as Webmin finds it
#                        (WEBMIN_CONFIG, WEBMIN_VAR, $0: see command_line_dirs)
#   UC_TEST_WEBMIN_CONFIG  Webmin's config directory ($config_directory; default: the parent
#                        of UC_TEST_CONFIG_DIR)
#   UC_TEST_VAR_DIR      the module's var directory; webmin_log appends one JSON line per call
#                        to actions.log there, reload_miniserv one line to miniserv-reloads
#   UC_TEST_MODULE_ROOT  the module's root directory (default: the current directory)
#   UC_TEST_MODULE_DIR   where its lang/en, defaultacl and files (for foreign_require) are
#                        (default: the current directory, as for a CGI run in the module)
#   UC_TEST_MODULES      "user: module module …" lines, as /etc/webmin/webmin.acl, for
#                        foreign_available (unset: every user has every module)
#   UC_TEST_MINISERV     miniserv.conf for get_/put_miniserv_config
#   UC_TEST_GCONFIG      Webmin's global config file (/etc/webmin/config); without it,
#                        what setup.sh writes that matters here: referers_none=1
#   REMOTE_USER, BASE_REMOTE_USER  as miniserv sets them
package WebminCore;
BEGIN { $INC{'WebminCore.pm'} = __FILE__; }
use strict;
use warnings;
use Cwd qw(getcwd);
use JSON::PP;
require Exporter;
our @ISA = qw(Exporter);
our @EXPORT = qw(init_config get_module_acl webmin_log text html_escape get_webprefix error
	ui_print_header ui_print_footer ui_table_row ui_yesno_radio ui_opt_textbox ui_select ui_textbox ui_radio
	get_miniserv_config put_miniserv_config get_miniserv_config_file lock_file unlock_file
	reload_miniserv foreign_require foreign_available indexof urlize);

sub module_dir { return $ENV{'UC_TEST_MODULE_DIR'} || getcwd(); }

sub read_env_file
{
my ($file, $h) = @_;
open(my $fh, "<", $file) || return 0;
while (my $l = <$fh>) {
	$l =~ s/\r|\n//g;
	$h->{$1} = $2 if ($l =~ /^([^=#]+)=(.*)$/);
	}
close($fh);
return 1;
}

# The module config directory of the last init_config (get_module_acl reads ACLs there).
my $module_config_dir;

# command_line_dirs() : (config dir, module config dir, module var dir, module root) for a
# script run from a shell, found as WebminCore finds them (web-lib-funcs.pl init_config, Webmin
# 2.6): WEBMIN_CONFIG must be set; WEBMIN_VAR, or else the config directory's var-path, is the
# var directory; miniserv.conf's root= is Webmin's root, and $0 must be the full path of a
# script in a module directory under it, which names the module.
sub command_line_dirs
{
defined($ENV{'WEBMIN_CONFIG'}) || die "WEBMIN_CONFIG not set";
my $config = $ENV{'WEBMIN_CONFIG'};
my $var = $ENV{'WEBMIN_VAR'};
if (!defined($var)) {
	open(my $fh, "<", "$config/var-path");
	chomp($var = <$fh> // '');
	}
my %miniserv;
read_env_file("$config/miniserv.conf", \%miniserv);
my $root = $miniserv{'root'} // '';
$0 =~ /^\Q$root\E\/([^\/]+)\/[^\/]+$/ ||
	error("Script was not run with full path (failed to find $0 under $root)");
return ($config, "$config/$1", "$var/modules/$1", "$root/$1");
}

# init_config() : sets the caller's %config, %text, %gconfig and module variables. A CGI or hook
# under test names its directories with UC_TEST_*; anything else is a command-line script.
sub init_config
{
my $pkg = caller;
no strict 'refs';
my ($config, $cdir, $vdir, $root);
if ($ENV{'UC_TEST_CONFIG_DIR'}) {
	$cdir = $ENV{'UC_TEST_CONFIG_DIR'};
	$config = $ENV{'UC_TEST_WEBMIN_CONFIG'} || "$cdir/..";
	$vdir = $ENV{'UC_TEST_VAR_DIR'} || die "UC_TEST_VAR_DIR is not set";
	$root = $ENV{'UC_TEST_MODULE_ROOT'} || getcwd();
	}
else {
	($config, $cdir, $vdir, $root) = command_line_dirs();
	}
$module_config_dir = $cdir;
%{"${pkg}::config"} = ();
read_env_file("$cdir/config", \%{"${pkg}::config"});
%{"${pkg}::text"} = ();
read_env_file(module_dir()."/lang/en", \%{"${pkg}::text"});
my %gconfig = ( 'log' => 1, 'referers_none' => 1 );
read_env_file($ENV{'UC_TEST_GCONFIG'}, \%gconfig) if ($ENV{'UC_TEST_GCONFIG'});
%{"${pkg}::gconfig"} = %gconfig;
${"${pkg}::config_directory"} = $config;
${"${pkg}::module_name"} = 'unlimited-cluster';
${"${pkg}::module_config_directory"} = $cdir;
${"${pkg}::module_var_directory"} = $vdir;
${"${pkg}::module_root_directory"} = $root;
${"${pkg}::remote_user"} = $ENV{'REMOTE_USER'};
${"${pkg}::base_remote_user"} = $ENV{'BASE_REMOTE_USER'} || $ENV{'REMOTE_USER'};
${"${pkg}::text_package"} = $pkg;
referer_check(\%gconfig, ${"${pkg}::trust_unknown_referers"} || 0);
}

# referer_check(&gconfig, trust_unknown_referers) : init_config's Referer check, with its rules
# in its order (web-lib-funcs.pl, Webmin 2.6). A CGI it does not trust gets Webmin's HTML
# warning page, printed as a CGI prints a page (no status line), and nothing more runs.
sub referer_check
{
my ($g, $trustvar) = @_;
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
my $trust =
	!$0 || $trustvar == 1 || $ENV{'DISABLE_REFERERS_CHECK'} ||
	($ENV{'SCRIPT_NAME'} // '') =~ /^\/(index.cgi)?$|^\/([a-z0-9\_\-]+)\/(index.cgi)?$/i ||
	$0 =~ /(session_login|pam_login)\.cgi$/ || $g->{'referer'} || !$ENV{'MINISERV_CONFIG'} ||
	($ENV{'HTTP_USER_AGENT'} // '') =~ /^Webmin/i ? 1 :
	!$site ? (!$g->{'referers_none'} || $trustvar == 2) :
	(grep { $_ eq $site } split(/\s+/, $g->{'referers'} // '')) ? 1 :
	$site eq $host && (!$rport || !$port || $rport == $port);
return if ($trust);
print "Content-type: text/html; Charset=utf-8\n\n";
print "<html><head><title>Security Warning</title></head><body>",
      "<p>The program was linked to from ", ($site ? "another site" : "an unknown URL"),
      ", which appears to be outside the Webmin server.</p></body></html>\n";
exit(0);
}

# get_module_acl([user], [module]) : a user's ACL for this module (default: the current user's)
sub get_module_acl
{
my ($u) = @_;
my %acl;
read_env_file(module_dir()."/defaultacl", \%acl);
my $user = defined($u) ? $u : $ENV{'BASE_REMOTE_USER'} || $ENV{'REMOTE_USER'} || '';
read_env_file("$module_config_dir/$user.acl", \%acl) if ($user ne '' && $module_config_dir);
return %acl;
}

# webmin_log(action, type, object, &params, [module]) : one JSON line in actions.log, for the
# user in $WebminCore::remote_user (what Webmin logs; set from REMOTE_USER, or by a caller)
our $remote_user;
sub webmin_log
{
my ($action, $type, $object, $params, $module) = @_;
open(my $fh, ">>", "$ENV{'UC_TEST_VAR_DIR'}/actions.log") || die "actions.log: $!";
print $fh JSON::PP->new->canonical->encode({ 'user' => $remote_user || $ENV{'REMOTE_USER'}, 'action' => $action,
	'type' => $type, 'object' => $object, 'params' => $params || {}, 'module' => $module // 'unlimited-cluster' }), "\n";
close($fh);
}

# foreign_require(module, file) : loads a module's file once into the package named after the
# module with non-alphanumerics as _, the module's directory first on @INC (web-lib-funcs.pl)
my %required;
sub foreign_require
{
my ($mod, $file) = @_;
(my $pkg = $mod) =~ s/[^A-Za-z0-9]/_/g;
return 1 if ($required{$pkg, $file}++);
my $dir = module_dir();
local @INC = ($dir, @INC);
local $ENV{'FOREIGN_MODULE_NAME'} = $mod;
eval "package $pkg; do '$dir/$file' || die \$@ || \$!;";
error("Require $mod/$file failed : $@") if ($@);
return 1;
}

# foreign_available(module) : whether the current Webmin user may use the module
sub foreign_available
{
my ($mod) = @_;
my $file = $ENV{'UC_TEST_MODULES'} || return 1;
my $user = $ENV{'BASE_REMOTE_USER'} || $ENV{'REMOTE_USER'} || '';
open(my $fh, "<", $file) || die "$file: $!";
while (my $l = <$fh>) {
	return scalar(grep { $_ eq $mod } split(/\s+/, $1)) if ($l =~ /^\Q$user\E:\s*(.*)$/);
	}
return 0;
}

sub indexof
{
my ($v, @list) = @_;
for (my $i = 0; $i < @list; $i++) { return $i if ($list[$i] eq $v); }
return -1;
}

sub urlize
{
my ($s) = @_;
$s =~ s/([^A-Za-z0-9._~-])/sprintf("%%%02X", ord($1))/ge;
return $s;
}

# text(key, args...) : a language string with $1, $2 … filled in
sub text
{
my ($key, @args) = @_;
my $pkg = caller;
no strict 'refs';
my $t = ${"${pkg}::text"}{$key} // ${"main::text"}{$key} // "";
$t =~ s/\$(\d+)/$args[$1-1] \/\/ ""/ge;
return $t;
}

sub html_escape
{
my ($s) = @_;
$s = "" if (!defined($s));
$s =~ s/&/&amp;/g; $s =~ s/</&lt;/g; $s =~ s/>/&gt;/g; $s =~ s/"/&quot;/g; $s =~ s/'/&#39;/g;
return $s;
}

sub get_webprefix { return ""; }

# error(message) : Webmin prints an HTML error page and exits; here it dies with the message
sub error { die "ERROR: ".join("", @_)."\n"; }

sub ui_print_header
{
my (undef, $title) = @_;
print "Content-type: text/html; Charset=utf-8\n\n";
print "<html><head><title>$title</title></head><body><div data-dcontainer=\"1\"><h1>$title</h1>\n";
}

sub ui_print_footer { print "</div></body></html>\n"; }
sub ui_table_row { my ($label, $value) = @_; return "<tr><td>$label</td><td>$value</td></tr>\n"; }

sub ui_yesno_radio
{
my ($name, $value) = @_;
return join("", map { "<input type=radio name=\"$name\" value=\"$_\"".($value == $_ ? " checked" : "").">" } (1, 0));
}

sub ui_opt_textbox
{
my ($name, $value, $size, $opt1) = @_;
return "<input type=radio name=\"${name}_def\" value=1".($value eq "" ? " checked" : "")."> $opt1 ".
       "<input type=radio name=\"${name}_def\" value=0".($value ne "" ? " checked" : "").">".
       "<input name=\"$name\" size=$size value=\"".html_escape($value)."\">";
}

sub ui_select
{
my ($name, $value, $opts) = @_;
$value //= '';
return "<select name=\"$name\">".join("", map { "<option value=\"".html_escape($_->[0])."\"".($_->[0] eq $value ? " selected" : "").">".html_escape($_->[1])."</option>" } @$opts)."</select>";
}

sub ui_textbox
{
my ($name, $value, $size) = @_;
return "<input name=\"$name\" size=$size value=\"".html_escape($value)."\">";
}

sub ui_radio
{
my ($name, $value, $opts) = @_;
return join(" ", map { "<input type=radio name=\"$name\" value=\"$_->[0]\"".($_->[0] eq $value ? " checked" : "")."> $_->[1]" } @$opts);
}

sub get_miniserv_config_file { return $ENV{'UC_TEST_MINISERV'} || die "UC_TEST_MINISERV is not set"; }
sub get_miniserv_config { read_env_file(get_miniserv_config_file(), $_[0]); }

sub put_miniserv_config
{
my ($h) = @_;
open(my $fh, ">", get_miniserv_config_file()) || die "miniserv.conf: $!";
print $fh map { "$_=$h->{$_}\n" } sort keys %$h;
close($fh);
}

sub lock_file { return 1; }
sub unlock_file { return 1; }

sub reload_miniserv
{
open(my $fh, ">>", "$ENV{'UC_TEST_VAR_DIR'}/miniserv-reloads") || die $!;
print $fh "reload\n";
close($fh);
}

1;
