# VirtualminStandIn.pm: a stand-in for the few parts of Virtualmin (the virtual-server module)
# that a feature plugin meets, so prove can drive virtual_feature.pl the way Virtualmin does. It is
# not Virtualmin's code: each rule below was written from Virtualmin GPL's source (the function
# or script named beside it: virtual-server-lib-funcs.pl, create-domain.pl, delete_domain.cgi,
# backups-lib.pl, save_tmpl.cgi …) and reproduces only what the plugin relies on. Domains and
# templates are key=value files, as Virtualmin keeps them, under UC_TEST_VIRTUALMIN_DIR:
#   config          the module config (plugins=…)
#   templates/ID    server templates (0 is the default template)
#   domains/ID      virtual servers
# Printing goes to @VirtualminStandIn::output, one line per first_print/second_print.
package virtual_server;
use strict;
use warnings;
no warnings 'uninitialized';
BEGIN { require WebminStandIn; WebminCore->import; }

our (%config, %text, @plugins, $first_print, $second_print, $indent_print, $outdent_print);

# The messages Virtualmin prints around a plugin's own (lang/en of virtual-server).
%text = ( 'setup_done' => '.. done', 'setup_failure' => '.. $1 failed : $2', 'delete_failure' => '.. $1 failed : $2' );

# $first_print / $second_print: Virtualmin's progress output (set_all_text_print).
$first_print = sub { push(@VirtualminStandIn::output, join("", @_)); };
$second_print = sub { push(@VirtualminStandIn::output, join("", @_)); };
$indent_print = $outdent_print = sub { };

sub dir { return $ENV{'UC_TEST_VIRTUALMIN_DIR'} || die "UC_TEST_VIRTUALMIN_DIR is not set"; }

sub read_kv
{
my ($file) = @_;
my %h;
open(my $fh, "<", $file) || return undef;
while (my $l = <$fh>) {
	chomp($l);
	$h{$1} = $2 if ($l =~ /^([^=]+)=(.*)$/);
	}
close($fh);
return \%h;
}

sub write_kv
{
my ($file, $h) = @_;
open(my $fh, ">", $file) || die "$file: $!";
print $fh map { "$_=$h->{$_}\n" } sort grep { defined($h->{$_}) && !ref($h->{$_}) } keys %$h;
close($fh);
}

# generate_plugins_list (virtual-server-lib.pl): the plugins named in the config's plugins=.
sub load_config
{
%config = %{read_kv(dir()."/config") || {}};
@plugins = split(/\s+/, $config{'plugins'} || '');
}

# ---- Plugins (virtual-server-lib-funcs.pl) ----------------------------------------------------

# load_plugin_libraries: foreign_require(plugin, "virtual_feature.pl") once per plugin.
sub load_plugin_libraries
{
foreach my $p (@_ ? @_ : @plugins) { &foreign_require($p, "virtual_feature.pl"); }
}

# plugin_defined: whether the plugin's package (its name with non-alphanumerics as _) has it.
sub plugin_defined
{
my ($mod, $func) = @_;
load_plugin_libraries($mod);
(my $pkg = $mod) =~ s/[^A-Za-z0-9]/_/g;
no strict 'refs';
return defined(&{"${pkg}::$func"});
}

# plugin_call: the plugin's function when defined, else undef (an empty list in list context).
sub plugin_call
{
my ($mod, $func, @args) = @_;
return wantarray ? () : undef if (!plugin_defined($mod, $func));
(my $pkg = $mod) =~ s/[^A-Za-z0-9]/_/g;
no strict 'refs';
return &{"${pkg}::$func"}(@args);
}

# try_plugin_call: plugin_call in an eval; a die is printed as setup_failure, returns 0.
sub try_plugin_call
{
my ($mod, $func, @args) = @_;
eval { plugin_call($mod, $func, @args) };
if ($@) {
	&$second_print(text_of('setup_failure', plugin_call($mod, 'feature_name'), "$@"));
	return 0;
	}
return 1;
}

# list_feature_plugins: the plugins that define feature_setup.
sub list_feature_plugins { return grep { plugin_defined($_, 'feature_setup') } @plugins; }

sub text_of
{
my ($key, @args) = @_;
my $t = $text{$key};
$t =~ s/\$(\d+)/$args[$1-1]/g;
return $t;
}

# list_available_features: plugins that say feature_suitable for the parent/alias/sub-domain,
# and for an alias only those its target has.
sub available_plugins
{
my ($parentdom, $aliasdom, $subdom) = @_;
return grep { plugin_call($_, 'feature_suitable', $parentdom, $aliasdom, $subdom) && (!$aliasdom || $aliasdom->{$_}) } list_feature_plugins();
}

# ---- Templates -------------------------------------------------------------------------------

# get_template: a non-default template whose plugin selector ($tmpl->{PLUGIN}) is empty takes
# the default template's (0) values of every key named PLUGIN or PLUGIN_…
sub get_template
{
my ($id) = @_;
my $tmpl = read_kv(dir()."/templates/$id") || return undef;
$tmpl->{'id'} = $id;
$tmpl->{'default'} = $id eq '0' ? 1 : 0;
if (!$tmpl->{'default'}) {
	my $def = read_kv(dir()."/templates/0") || {};
	foreach my $p (@plugins) {
		next if ($tmpl->{$p} ne '');
		foreach my $k (keys %$def) {
			$tmpl->{$k} = $def->{$k} if ($k =~ /^\Q$p\E_/ || $k eq $p);
			}
		}
	}
return $tmpl;
}

# The template form (edit_tmpl.cgi): the inputs of each plugin with a template_section, in its
# own section.
sub template_form
{
my ($tmpl) = @_;
return join("", map { plugin_call($_, 'template_input', $tmpl) } grep { plugin_defined($_, 'template_section') } @plugins);
}

# save_tmpl.cgi: each plugin's template_parse (which may call error()), then save_template. Only
# what the template file itself holds is written (get_template's inherited keys are not).
sub save_template_form
{
my ($id, $in) = @_;
my $tmpl = read_kv(dir()."/templates/$id") || {};
$tmpl->{'default'} = $id eq '0' ? 1 : 0;
plugin_call($_, 'template_parse', $tmpl, $in) foreach (grep { plugin_defined($_, 'template_section') } @plugins);
delete($tmpl->{'default'});
write_kv(dir()."/templates/$id", $tmpl);
}

# ---- Domains ---------------------------------------------------------------------------------

sub get_domain
{
my ($id) = @_;
my $d = read_kv(dir()."/domains/$id") || return undef;
return $d;
}

sub save_domain { my ($d) = @_; write_kv(dir()."/domains/$d->{'id'}", $d); }

sub list_domains
{
opendir(my $dh, dir()."/domains") || return ();
my @ids = grep { /^\d+$/ } readdir($dh);
closedir($dh);
return map { get_domain($_) } sort @ids;
}

# mysql_pass (feature-mysql.pl): a sub-server's comes from its parent; else mysql_pass, else pass.
sub mysql_pass
{
my ($d) = @_;
return mysql_pass(get_domain($d->{'parent'})) if ($d->{'parent'});
return $d->{'mysql_pass'} ne '' ? $d->{'mysql_pass'} : $d->{'pass'};
}

# create-domain.pl, then create_virtual_server: with the feature on (--PLUGIN or the template's
# defaults), feature_args_parse with the plugin options (usage error), virtual_server_depends
# (feature_depends), virtual_server_clashes (feature_clash) and virtual_server_warnings
# (feature_warnings: exit 5 without --skip-warnings) are checked before anything is made; then
# the domain is saved, core features set up, then each plugin's feature_setup in an eval (its
# return value ignored; a die prints setup_failure and turns the feature off for the domain);
# then the domain is saved again. Returns (error, &domain).
sub create_domain
{
my ($dom, %o) = @_;
@VirtualminStandIn::output = ();
my %on = map { $_, 1 } @{$o{'plugins'} || []};
foreach my $f (list_feature_plugins()) { $dom->{$f} = $on{$f} ? 1 : 0; }
foreach my $f (grep { $dom->{$_} } list_feature_plugins()) {
	my $err = plugin_call($f, 'feature_args_parse', $dom, $o{'args'} || {});
	return ($err, $dom) if ($err);
	}
foreach my $f (grep { $dom->{$_} } list_feature_plugins()) {
	my $err = plugin_call($f, 'feature_depends', $dom, undef);
	return ($err, $dom) if ($err);
	}
foreach my $f (grep { $dom->{$_} } list_feature_plugins()) {
	my $err = plugin_call($f, 'feature_clash', $dom, undef);
	return ($err, $dom) if ($err);
	}
my @warns = grep { $_ } map { plugin_call($_, 'feature_warnings', $dom, undef) } grep { $dom->{$_} } list_feature_plugins();
return ("warnings: ".join(" ", @warns), $dom) if (@warns && !$o{'skip_warnings'});
save_domain($dom);
foreach my $f (list_feature_plugins()) {
	next if (!$dom->{$f});
	eval { plugin_call($f, 'feature_setup', $dom) };
	if ($@) {
		&$second_print(text_of('setup_failure', plugin_call($f, 'feature_name'), "$@"));
		$dom->{$f} = 0;
		}
	}
save_domain($dom);
return (undef, $dom);
}

# rename_virtual_server: the domain (and with a new Unix user, that user on it, its sub-servers
# and its aliases), then its alias domains, each with feature_modify(d, old) through
# try_plugin_call (a die is printed, the rename goes on); each domain is then saved.
sub rename_domain
{
my ($d, $newdom, $newuser) = @_;
@VirtualminStandIn::output = ();
my @doms = ($d, grep { $_->{'alias'} eq $d->{'id'} } list_domains());
my @olddoms = map { { %$_ } } @doms;
$d->{'dom'} = $newdom if (defined($newdom));
if (defined($newuser)) {
	$_->{'user'} = $newuser foreach (@doms);
	foreach my $sd (grep { $_->{'parent'} eq $d->{'id'} } list_domains()) { $sd->{'user'} = $newuser; save_domain($sd); }
	}
for (my $i = 0; $i < @doms; $i++) {
	foreach my $f (list_feature_plugins()) {
		try_plugin_call($f, 'feature_modify', $doms[$i], $olddoms[$i]) if ($doms[$i]->{$f});
		}
	save_domain($doms[$i]);
	}
}

# modify-domain.pl --pass: the new password on the domain and its sub-servers, then for each of
# them call_modify_feature_funcs: every enabled plugin's feature_modify(d, old) through
# try_plugin_call; each domain is then saved.
sub modify_domain
{
my ($d, %c) = @_;
@VirtualminStandIn::output = ();
my @doms = ($d, grep { $_->{'parent'} eq $d->{'id'} } list_domains());
my @olddoms = map { { %$_ } } @doms;
if (defined($c{'pass'})) { $_->{'pass'} = $c{'pass'} foreach (@doms); }
for (my $i = 0; $i < @doms; $i++) {
	foreach my $f (list_feature_plugins()) {
		try_plugin_call($f, 'feature_modify', $doms[$i], $olddoms[$i]) if ($doms[$i]->{$f});
		}
	save_domain($doms[$i]);
	}
}

# delete_domain.cgi's confirmation: each enabled plugin as "feature_name - feature_losing".
sub losing
{
my ($d) = @_;
return map { plugin_call($_, 'feature_name')." - ".plugin_call($_, 'feature_losing', $d) } grep { $d->{$_} } list_feature_plugins();
}

# delete_virtual_server: its alias domains first, then the domain; for each, every enabled
# plugin's feature_delete(domain, preserve-remote) in an eval (call_feature_delete: a die is
# printed as delete_failure, the deletion goes on); then the domain file goes.
sub delete_domain
{
my ($d, $preserve) = @_;
@VirtualminStandIn::output = ();
foreach my $dd ((grep { $_->{'alias'} eq $d->{'id'} } list_domains()), $d) {
	foreach my $f (grep { $dd->{$_} } reverse(list_feature_plugins())) {
		eval { plugin_call($f, 'feature_delete', $dd, $preserve) };
		&$second_print(text_of('delete_failure', plugin_call($f, 'feature_name'), "$@")) if ($@);
		}
	unlink(dir()."/domains/$dd->{'id'}");
	}
}

# disable_virtual_server: every enabled plugin that defines feature_disable is called WITHOUT an
# eval (a die aborts the whole disable) and listed in $d->{'disabled'}; the domain is saved.
sub disable_domain
{
my ($d) = @_;
@VirtualminStandIn::output = ();
my @disabled;
foreach my $f (grep { $d->{$_} && plugin_defined($_, 'feature_disable') } list_feature_plugins()) {
	plugin_call($f, 'feature_disable', $d);
	push(@disabled, $f);
	}
$d->{'disabled'} = join(",", @disabled);
save_domain($d);
}

# enable_virtual_server: the plugins listed in $d->{'disabled'} that define feature_enable,
# called without an eval; then 'disabled' goes and the domain is saved.
sub enable_domain
{
my ($d) = @_;
@VirtualminStandIn::output = ();
my %was = map { $_, 1 } split(/,/, $d->{'disabled'});
foreach my $f (grep { $d->{$_} && $was{$_} && plugin_defined($_, 'feature_enable') } list_feature_plugins()) {
	plugin_call($f, 'feature_enable', $d);
	}
delete($d->{'disabled'});
save_domain($d);
}

# backups-lib.pl: feature_backup(d, "DIR/DOMAIN_PLUGIN", opts…) for each enabled plugin, no
# eval; it must return 1, or the domain's backup fails. Returns the plugins that failed.
sub backup_domain
{
my ($d, $dir) = @_;
@VirtualminStandIn::output = ();
return grep { !plugin_call($_, 'feature_backup', $d, "$dir/$d->{'dom'}_$_", {}, 0, 0, undef, {}, []) } grep { $d->{$_} && plugin_defined($_, 'feature_backup') } list_feature_plugins();
}

# backups-lib.pl: feature_restore(d, file, opts…) for each enabled plugin whose file is there.
sub restore_domain
{
my ($d, $dir) = @_;
@VirtualminStandIn::output = ();
return grep { -r "$dir/$d->{'dom'}_$_" && !plugin_call($_, 'feature_restore', $d, "$dir/$d->{'dom'}_$_", {}, {}) } grep { $d->{$_} } list_feature_plugins();
}

# validate-domains.pl: "NAME : error" for each enabled plugin whose feature_validate complains.
sub validate_domain
{
my ($d) = @_;
return map { my $e = plugin_call($_, 'feature_validate', $d); $e ? plugin_call($_, 'feature_name')." : $e" : () } grep { $d->{$_} } list_feature_plugins();
}

# The links of a domain's page (virtual-server-lib-funcs.pl): each plugin's feature_links whose
# module the user may use.
sub domain_links
{
my ($d) = @_;
return map { plugin_call($_, 'feature_links', $d) } grep { $d->{$_} } @plugins;
}

package VirtualminStandIn;
our @output;

1;
