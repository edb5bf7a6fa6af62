# virtual_feature.pl
# The Virtualmin feature plugin: a virtual server made from a server template that names
# clusters gets its web (host rules on the web cluster's load balancers), database (Galera) and
# files (a Gluster volume) placed there. Virtualmin loads this file with foreign_require into the
# package unlimited_cluster and calls the functions below (the calling convention of Virtualmin's
# virtual_feature_api.pl; what each call means is in README.md, "Virtualmin"). Every change goes
# through the hub's API as the Webmin user driving Virtualmin, with that user's ACL of this module:
# the hub checks it, does the work, and audits it. Nothing here decides anything.

use strict;
use warnings;
no warnings 'uninitialized';
# At compile time: Virtualmin compiles this file before the require below runs.
use JSON::PP ();
our (%text, %config, $module_name, $remote_user, $base_remote_user);
require 'unlimited-cluster-lib.pl';

# The template keys (all start with the module name, as Virtualmin requires): the selector
# (''  = as the default template, 'none' = places nothing, '1' = the values below) and the values.
our @template_keys = qw(web database volume mount www);

# ---- Talking to the hub as the Webmin user ------------------------------------------------

# plugin_identity() : (user, &acl) of whoever drives Virtualmin now
sub plugin_identity
{
my $user = $remote_user || $base_remote_user;
if (!$user) {
	# Command-line scripts (create-domain.pl …) run as Unix root with no Webmin user.
	$< == 0 || die "no Webmin user is known for this call\n";
	return ('root', { &get_module_acl('root', $module_name) });
	}
# A Webmin user without this module (a domain owner, say) has none of its permissions.
return ($user, { 'clusters' => '' }) if (!&foreign_available($module_name));
return ($user, { &get_module_acl($base_remote_user || $user, $module_name) });
}

# hub_call(method, path, [&body]) : (status, &answer): the hub's JSON (or its error) as the
# Virtualmin user
sub hub_call
{
my ($method, $path, $body) = @_;
my ($user, $acl) = &plugin_identity();
my $json = defined($body) ? JSON::PP->new->canonical->utf8->encode($body) : undef;
my ($status, $rbody) = &hub_request($method, $path, $json, defined($json) ? 'application/json' : undef, $user, $acl);
my $answer = $rbody ne '' ? eval { JSON::PP->new->utf8->decode($rbody) } : {};
$answer = { 'error' => { 'message' => "the hub gave no JSON (HTTP $status)" } } if (!defined($answer));
return ($status, $answer);
}

# hub_error(&answer) : the hub's error message
sub hub_error
{
my ($a) = @_;
return ref($a) eq 'HASH' && ref($a->{'error'}) eq 'HASH' ? $a->{'error'}{'message'} : 'no answer';
}

# log_change(action, &domain, &params) : one entry in Webmin's action log, under this module, as
# the user the hub acted for (from the command line: root, as virtualmin_api_log logs it)
sub log_change
{
my ($action, $d, $params) = @_;
my ($user) = &plugin_identity();
no warnings 'once';
local $remote_user = $user;
local $WebminCore::remote_user = $user;
&webmin_log($action, 'virtual-server', $d->{'dom'}, { 'id' => $d->{'id'}, %{$params || {}} }, $module_name);
}

# ---- Where a domain goes ------------------------------------------------------------------

# domain_placement(&domain) : { web, database, volume, mount, www } from the domain's own
# command-line choices (feature_args), else its server template
sub domain_placement
{
my ($d) = @_;
my $tmpl = &virtual_server::get_template($d->{'template'});
my $none = !$tmpl || $tmpl->{$module_name} eq 'none' || $tmpl->{$module_name} eq '';
my %p;
foreach my $k (@template_keys) {
	my $own = $d->{"${module_name}_$k"};
	$p{$k} = defined($own) && $own ne '' ? $own : $none ? '' : $tmpl->{"${module_name}_$k"};
	}
$p{'www'} = 1 if ($p{'www'} eq '');
return \%p;
}

# placement_body(&placement) : the hub's placement (POST /api/virtual-servers/check)
sub placement_body
{
my ($p) = @_;
my %b;
$b{'web'} = $p->{'web'} if ($p->{'web'} ne '');
$b{'database'} = $p->{'database'} if ($p->{'database'} ne '');
$b{'files'} = { 'volume' => $p->{'volume'}, 'mountPath' => $p->{'mount'} } if ($p->{'volume'} ne '');
return \%b;
}

# database_user(&domain, [renew]) : the domain's MySQL user as virtual_server::mysql_user makes
# it: the parent's for a sub-server; its mysql_user, or (renew: after a change of Unix user, as
# modify_mysql asks for) the Unix user with dots as underscores
sub database_user
{
my ($d, $renew) = @_;
my $owner = $d->{'parent'} ? &virtual_server::get_domain($d->{'parent'}) : $d;
my $user = !$renew && $owner->{'mysql_user'} ne '' ? $owner->{'mysql_user'} : $owner->{'user'};
$user =~ s/\./_/g;
return $user;
}

# database_spec(&domain) : the database Virtualmin would make for the domain: its name
# ($d->{'db'}, as create-domain.pl and domain_setup.cgi set it), its MySQL user and its password
# (virtual_server::mysql_pass)
sub database_spec
{
my ($d) = @_;
my $name = lc($d->{'db'} || $d->{'prefix'} || $d->{'user'});
$name =~ s/[^a-z0-9_]/_/g;
return { 'name' => $name, 'user' => &database_user($d), 'password' => &virtual_server::mysql_pass($d),
	 'sharedUser' => $d->{'parent'} ? JSON::PP::true() : JSON::PP::false() };
}

# database_change(&domain, &old-domain) : what Virtualmin's MySQL feature changes for a top-level
# server (modify_mysql): the user's name after a change of Unix user, its password; {} if nothing
sub database_change
{
my ($d, $oldd) = @_;
return {} if ($d->{'parent'} || $oldd->{'parent'});
my %c;
$c{'user'} = &database_user($d, 1) if ($d->{'user'} ne $oldd->{'user'});
my $pass = &virtual_server::mysql_pass($d);
$c{'password'} = $pass if ($pass ne &virtual_server::mysql_pass($oldd));
return \%c;
}

# own_names(&domain, &placement) : the names a (non-alias) domain answers for
sub own_names
{
my ($d, $p) = @_;
my $dom = lc($d->{'dom'});
return ($dom, $p->{'www'} ? ("www.$dom") : ());
}

# alias_target(&alias-domain) : the domain an alias domain points at
sub alias_target
{
my ($d) = @_;
return &virtual_server::get_domain($d->{'alias'});
}

# update_aliases(&target, &add, &remove) : changes the names of the target's virtual server
sub update_aliases
{
my ($target, $add, $remove) = @_;
my ($st, $vs) = &hub_call('GET', "/api/virtual-servers/".&urlize($target->{'id'}));
$st == 200 || die &hub_error($vs)."\n";
my %drop = map { $_, 1 } @$remove;
my @aliases = grep { !$drop{$_} } @{$vs->{'aliases'}};
foreach my $a (@$add) {
	push(@aliases, $a) if ($a ne $vs->{'domain'} && &indexof($a, @aliases) < 0);
	}
($st, $vs) = &hub_call('PATCH', "/api/virtual-servers/".&urlize($target->{'id'}), { 'aliases' => \@aliases });
$st == 200 || die &hub_error($vs)."\n";
return $vs;
}

# ---- The plugin API Virtualmin calls ------------------------------------------------------

# feature_name() : a short name for the feature
sub feature_name
{
return $text{'feat_name'};
}

# feature_label(in-edit-form) : the label on the domain creation and editing forms
sub feature_label
{
my ($edit) = @_;
return $edit ? $text{'feat_label2'} : $text{'feat_label'};
}

sub feature_hlink
{
return "virtualmin";
}

# feature_check() : undef when the hub answers, else why not
sub feature_check
{
my ($st, $a) = &hub_request('GET', '/api/health', undef, undef, 'root', { 'clusters' => '' });
return $st == 200 ? undef : &text('feat_echeck', "<tt>".&html_escape(&hub_socket())."</tt>", &html_escape(&hub_error(eval { JSON::PP->new->decode($a) })));
}

# feature_depends(&domain, [&old-domain]) : undef, or why the feature cannot be on: for a new
# domain the hub checks its placement as the Webmin user (clusters it cannot see, without the
# role, a missing permission), so create-domain.pl stops before anything is made
sub feature_depends
{
my ($d, $oldd) = @_;
if ($d->{'alias'}) {
	my $target = &alias_target($d);
	return $target && $target->{$module_name} ? undef : $text{'feat_edepalias'};
	}
return undef if ($oldd && $oldd->{$module_name});
my $body = &placement_body(&domain_placement($d));
return $text{'feat_edepnothing'} if (!%$body);
my ($st, $r) = &hub_call('POST', '/api/virtual-servers/check', $body);
# Not escaped: create-domain.pl prints it as text (the hub's messages hold no markup).
return $st == 200 ? undef : &hub_error($r);
}

# feature_clash(&domain, [field]) : undef, or why the domain's names are taken
sub feature_clash
{
my ($d, $field) = @_;
return undef if ($field && $field ne 'dom');
my @names = $d->{'alias'} ? (lc($d->{'dom'})) : &own_names($d, &domain_placement($d));
foreach my $n (@names) {
	my ($st, $list) = &hub_call('GET', "/api/virtual-servers?host=".&urlize($n));
	next if ($st != 200);
	my ($other) = grep { $_->{'id'} ne $d->{'id'} && $_->{'id'} ne $d->{'alias'} } @$list;
	return &text('feat_clash', "<tt>$n</tt>", "<tt>".&html_escape($other->{'domain'})."</tt>") if ($other);
	}
return undef;
}

# feature_suitable([&parent], [&alias], [&subdom]) : top-level servers, sub-servers and aliases
sub feature_suitable
{
my ($parentdom, $aliasdom, $subdom) = @_;
return $subdom ? 0 : 1;
}

# feature_warnings(&domain, [&old-domain]) : what may surprise, for a new domain
sub feature_warnings
{
my ($d, $oldd) = @_;
return undef if ($oldd || $d->{'alias'});
my $p = &domain_placement($d);
my ($st, $r) = &hub_call('POST', '/api/virtual-servers/check', &placement_body($p));
my @w = $st == 200 ? @{$r->{'warnings'}} : ();
push(@w, &text('feat_wmysql', "<tt>".&html_escape(&database_spec($d)->{'name'})."</tt>")) if ($p->{'database'} ne '' && $d->{'mysql'});
return @w ? join(" ", map { &html_escape($_) } @w) : undef;
}

# feature_losing(&domain) : what deleting the domain (or turning the feature off) removes
sub feature_losing
{
my ($d) = @_;
return $text{'feat_losingalias'} if ($d->{'alias'});
my ($st, $vs) = &hub_call('GET', "/api/virtual-servers/".&urlize($d->{'id'}));
return $text{'feat_losing'} if ($st != 200);
my @l;
push(@l, &text('feat_losingweb', "<tt>".&html_escape(join(", ", $vs->{'domain'}, @{$vs->{'aliases'}}))."</tt>", "<tt>".&html_escape($vs->{'web'}{'cluster'})."</tt>")) if ($vs->{'web'});
push(@l, &text('feat_losingdb', "<tt>".&html_escape($vs->{'database'}{'name'})."</tt>", "<tt>".&html_escape($vs->{'database'}{'cluster'})."</tt>")) if ($vs->{'database'});
push(@l, &text('feat_losingfiles', "<tt>".&html_escape($vs->{'files'}{'directory'})."</tt>", "<tt>".&html_escape($vs->{'files'}{'volume'})."</tt>")) if ($vs->{'files'});
push(@l, $text{'feat_losingkeep'}) if ($vs->{'database'} || $vs->{'files'});
return join(" ", @l);
}

# feature_disname(&domain) : what disabling the domain turns off
sub feature_disname
{
return $text{'feat_disname'};
}

# feature_setup(&domain) : places the domain on its clusters. Dies on failure: Virtualmin then
# prints the message and turns the feature off for this domain; the hub has undone what it did.
sub feature_setup
{
my ($d) = @_;
if ($d->{'alias'}) {
	my $target = &alias_target($d);
	&$virtual_server::first_print(&text('feat_setupalias', "<tt>".&html_escape($target->{'dom'})."</tt>"));
	&update_aliases($target, [ &own_names($d, &domain_placement($target)) ], []);
	&log_change('alias', $d, { 'target' => $target->{'dom'} });
	&$virtual_server::second_print($virtual_server::text{'setup_done'});
	return 1;
	}
my $p = &domain_placement($d);
my $body = { %{&placement_body($p)}, 'id' => "$d->{'id'}", 'domain' => lc($d->{'dom'}) };
my (undef, @aliases) = &own_names($d, $p);
$body->{'aliases'} = \@aliases;
$body->{'database'} = { 'cluster' => $p->{'database'}, %{&database_spec($d)} } if ($p->{'database'} ne '');
$body->{'disabled'} = JSON::PP::true() if ($d->{'disabled'});
&$virtual_server::first_print(&text('feat_setup', join(", ", map { "$_ <tt>".&html_escape($p->{$_})."</tt>" } grep { $p->{$_} ne '' } qw(web database volume))));
my ($st, $vs) = &hub_call('POST', '/api/virtual-servers', $body);
if ($st != 201) {
	&log_change('create', $d, { 'failed' => 1, 'error' => &hub_error($vs) });
	die &hub_error($vs)."\n";
	}
&log_change('create', $d, { map { $_ => $p->{$_} } grep { $p->{$_} ne '' } @template_keys });
&$virtual_server::second_print($virtual_server::text{'setup_done'});
return 1;
}

# feature_modify(&domain, &old-domain) : a rename changes the host rules and the names of the
# web root on the volume (the database keeps its name and the files their directory, as
# Virtualmin keeps both); a new Unix user renames the database user and a new password is set on
# it, as Virtualmin's MySQL feature does
sub feature_modify
{
my ($d, $oldd) = @_;
my $renamed = lc($d->{'dom'}) ne lc($oldd->{'dom'});
if ($d->{'alias'}) {
	return 1 if (!$renamed);
	my $target = &alias_target($d);
	&$virtual_server::first_print($text{'feat_modifyalias'});
	my $p = &domain_placement($target);
	&update_aliases($target, [ &own_names($d, $p) ], [ &own_names($oldd, $p) ]);
	&$virtual_server::second_print($virtual_server::text{'setup_done'});
	return 1;
	}
my $dbc = &database_change($d, $oldd);
return 1 if (!$renamed && !%$dbc);
my ($st, $vs) = &hub_call('GET', "/api/virtual-servers/".&urlize($d->{'id'}));
$st == 200 || die &hub_error($vs)."\n";
my %patch;
if ($renamed) {
	my ($old, $new) = (lc($oldd->{'dom'}), lc($d->{'dom'}));
	%patch = ( 'domain' => $new, 'aliases' => [ map { $_ eq "www.$old" ? "www.$new" : $_ } @{$vs->{'aliases'}} ] );
	}
$patch{'database'} = $dbc if (%$dbc && $vs->{'database'} && !$vs->{'database'}{'sharedUser'});
return 1 if (!%patch);
&$virtual_server::first_print($renamed ? &text('feat_rename', "<tt>".&html_escape($d->{'dom'})."</tt>") : $text{'feat_dbchange'});
($st, $vs) = &hub_call('PATCH', "/api/virtual-servers/".&urlize($d->{'id'}), \%patch);
my %logged = ( $renamed ? ('old' => $oldd->{'dom'}) : (), $patch{'database'}{'user'} ? ('dbuser' => $patch{'database'}{'user'}) : () );
if ($st != 200) {
	&log_change('modify', $d, { 'failed' => 1, 'error' => &hub_error($vs), %logged });
	die &hub_error($vs)."\n";
	}
&log_change('modify', $d, \%logged);
&$virtual_server::second_print($virtual_server::text{'setup_done'});
return 1;
}

# feature_delete(&domain, [preserve-remote]) : takes the domain off its clusters; the database
# and files stay when Virtualmin is told to preserve remote features (delete-domain.pl
# --preserve-remote, or the checkbox of delete_domain.cgi)
sub feature_delete
{
my ($d, $preserve) = @_;
if ($d->{'alias'}) {
	my $target = &alias_target($d);
	return 1 if (!$target || !$target->{$module_name});
	&$virtual_server::first_print($text{'feat_deletealias'});
	&update_aliases($target, [], [ &own_names($d, &domain_placement($target)) ]);
	&$virtual_server::second_print($virtual_server::text{'setup_done'});
	return 1;
	}
&$virtual_server::first_print($preserve ? $text{'feat_deletekeep'} : $text{'feat_delete'});
my ($st, $a) = &hub_call('DELETE', "/api/virtual-servers/".&urlize($d->{'id'}).($preserve ? "?keep=database,files" : ""));
if ($st == 404) {
	&$virtual_server::second_print($text{'feat_deletenone'});
	return 1;
	}
if ($st != 204) {
	&log_change('delete', $d, { 'failed' => 1, 'error' => &hub_error($a) });
	die &hub_error($a)."\n";
	}
&log_change('delete', $d, { 'kept' => $preserve ? 'database,files' : '' });
&$virtual_server::second_print($virtual_server::text{'setup_done'});
return 1;
}

# set_state(&domain, state) : disable or enable; Virtualmin calls these without an eval, so a
# failure is printed and returned, never thrown
sub set_state
{
my ($d, $state) = @_;
&$virtual_server::first_print($state eq 'disabled' ? $text{'feat_disable'} : $text{'feat_enable'});
my $ok = eval {
	if ($d->{'alias'}) {
		# An alias's names simply go (and come back), as Virtualmin's own web feature does.
		my $target = &alias_target($d);
		my @names = &own_names($d, &domain_placement($target));
		&update_aliases($target, $state eq 'disabled' ? ([], \@names) : (\@names, []));
		}
	else {
		my ($st, $vs) = &hub_call('PATCH', "/api/virtual-servers/".&urlize($d->{'id'}), { 'state' => $state });
		$st == 200 || die &hub_error($vs)."\n";
		}
	1;
	};
if (!$ok) {
	my $err = $@;
	$err =~ s/\s+$//;
	&log_change($state eq 'disabled' ? 'disable' : 'enable', $d, { 'failed' => 1, 'error' => $err });
	&$virtual_server::second_print(&text('feat_failed', &html_escape($err)));
	return 0;
	}
&log_change($state eq 'disabled' ? 'disable' : 'enable', $d);
&$virtual_server::second_print($virtual_server::text{'setup_done'});
return 1;
}

sub feature_disable { return &set_state($_[0], 'disabled'); }
sub feature_enable { return &set_state($_[0], 'active'); }

# feature_validate(&domain) : undef when the hub has the domain as Virtualmin does, else why not
sub feature_validate
{
my ($d) = @_;
my $id = $d->{'alias'} || $d->{'id'};
my ($st, $vs) = &hub_call('GET', "/api/virtual-servers/".&urlize($id));
return &text('feat_evalidate', "<tt>".&html_escape($d->{'dom'})."</tt>", &html_escape(&hub_error($vs))) if ($st != 200);
if ($d->{'alias'}) {
	my $disabled = &indexof($module_name, split(/,/, $d->{'disabled'})) >= 0;
	return $disabled || &indexof(lc($d->{'dom'}), @{$vs->{'aliases'}}) >= 0 ? undef : &text('feat_evalidatealias', "<tt>".&html_escape($d->{'dom'})."</tt>");
	}
return &text('feat_evalidatename', "<tt>".&html_escape($vs->{'domain'})."</tt>") if ($vs->{'domain'} ne lc($d->{'dom'}));
my $disabled = &indexof($module_name, split(/,/, $d->{'disabled'})) >= 0;
return &text('feat_evalidatestate', $vs->{'state'}) if ($disabled != ($vs->{'state'} eq 'disabled'));
foreach my $part ('web', 'database', 'files') {
	next if (!$vs->{$part} || $vs->{$part}{'status'} eq 'ready');
	return &text('feat_evalidatepart', $part, &html_escape($vs->{$part}{'status'}), &html_escape($vs->{$part}{'error'}));
	}
return undef;
}

# feature_links(&domain) : a link to the domain's clusters in this module
sub feature_links
{
my ($d) = @_;
return ( { 'mod' => $module_name, 'desc' => $text{'feat_link'}, 'page' => "index.cgi?vs=".&urlize($d->{'alias'} || $d->{'id'}), 'cat' => 'services' } );
}

# feature_import(domain-name, user-name, db-name) : 1 when the hub already places that domain
sub feature_import
{
my ($dname) = @_;
my ($st, $list) = &hub_call('GET', "/api/virtual-servers?host=".&urlize(lc($dname)));
return $st == 200 && @$list ? 1 : 0;
}

# feature_args() : create-domain.pl options that override the template for one domain
sub feature_args
{
return map { { 'name' => "$module_name-$_", 'value' => $_ eq 'mount' ? 'path' : 'name', 'opt' => 1, 'desc' => $text{"args_$_"} } } qw(web database volume mount);
}

# feature_args_parse(&domain, &values) : stores those options in the domain
sub feature_args_parse
{
my ($d, $v) = @_;
foreach my $k (qw(web database volume mount)) {
	my $val = $v->{"$module_name-$k"};
	next if (!defined($val));
	my $ok = $k eq 'mount' ? $val =~ /^(\/[A-Za-z0-9_][A-Za-z0-9._-]*)+$/ : $val =~ /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
	return &text('args_einvalid', "--$module_name-$k", $val) if (!$ok);
	$d->{"${module_name}_$k"} = $val;
	}
return undef;
}

# feature_backup(&domain, file, &opts, ...) : writes the domain's placement (the hub's record)
# to the file; the database's data and the files live on their clusters, not in this backup
sub feature_backup
{
my ($d, $file) = @_;
&$virtual_server::first_print($text{'feat_backup'});
my ($st, $vs) = &hub_call('GET', "/api/virtual-servers/".&urlize($d->{'id'}));
if ($st != 200) {
	&$virtual_server::second_print(&text('feat_failed', &html_escape(&hub_error($vs))));
	return 0;
	}
my $fh;
if (!open($fh, ">", $file)) {
	&$virtual_server::second_print(&text('feat_failed', &html_escape("$file: $!")));
	return 0;
	}
print $fh JSON::PP->new->canonical->pretty->encode({ 'format' => 'unlimited-cluster-virtual-server', 'version' => 1, 'virtualServer' => $vs });
close($fh);
&$virtual_server::second_print($virtual_server::text{'setup_done'});
return 1;
}

# feature_restore(&domain, file, &opts, ...) : places the domain again as the backup says when
# the hub no longer has it (a restore on a new system); a domain still placed is left as it is
sub feature_restore
{
my ($d, $file) = @_;
&$virtual_server::first_print($text{'feat_restore'});
my $doc = eval {
	open(my $fh, "<", $file) || die "$file: $!\n";
	local $/;
	my $j = JSON::PP->new->decode(<$fh>);
	close($fh);
	ref($j) eq 'HASH' && $j->{'format'} eq 'unlimited-cluster-virtual-server' && ref($j->{'virtualServer'}) eq 'HASH' || die "$file is not a backup of this feature\n";
	$j->{'virtualServer'};
	};
my ($st, $vs) = $doc ? &hub_call('GET', "/api/virtual-servers/".&urlize($d->{'id'})) : ();
if (!$doc || ($st != 200 && $st != 404)) {
	my $err = $doc ? &hub_error($vs) : $@;
	$err =~ s/\s+$//;
	&$virtual_server::second_print(&text('feat_failed', &html_escape($err)));
	return 0;
	}
if ($st == 200) {
	&$virtual_server::second_print($text{'feat_restorekept'});
	return 1;
	}
my $body = { 'id' => "$d->{'id'}", 'domain' => lc($d->{'dom'}), 'aliases' => $doc->{'aliases'} || [] };
$body->{'web'} = $doc->{'web'}{'cluster'} if ($doc->{'web'});
$body->{'database'} = { %{&database_spec($d)}, 'cluster' => $doc->{'database'}{'cluster'},
			'name' => $doc->{'database'}{'name'}, 'user' => $doc->{'database'}{'user'} } if ($doc->{'database'});
$body->{'files'} = { 'volume' => $doc->{'files'}{'volume'}, 'mountPath' => $doc->{'files'}{'mountPath'} } if ($doc->{'files'});
$body->{'disabled'} = JSON::PP::true() if ($doc->{'state'} eq 'disabled');
($st, $vs) = &hub_call('POST', '/api/virtual-servers', $body);
if ($st != 201) {
	&$virtual_server::second_print(&text('feat_failed', &html_escape(&hub_error($vs))));
	return 0;
	}
&log_change('restore', $d);
&$virtual_server::second_print($virtual_server::text{'setup_done'});
return 1;
}

# feature_backup_name() : what the backup of this feature holds
sub feature_backup_name
{
return $text{'feat_backupname'};
}

# ---- Server template options --------------------------------------------------------------

# template_section() : the template page section these options appear in
sub template_section
{
return ($module_name, $text{'tmpl_section'});
}

# template_input(&template) : the placement choices, as rows of Virtualmin's template form
sub template_input
{
my ($tmpl) = @_;
my $mode = $tmpl->{$module_name} eq '' ? 0 : $tmpl->{$module_name} eq 'none' ? 1 : 2;
my ($st, $clusters) = &hub_call('GET', '/api/clusters');
my @all = $st == 200 ? @$clusters : ();
my %names = ( 'web' => [ map { $_->{'name'} } grep { $_->{'loadBalancer'} } @all ],
	      'database' => [ map { $_->{'name'} } grep { $_->{'galera'} } @all ],
	      'volume' => [ map { map { $_->{'name'} } @{$_->{'gluster'}{'volumes'}} } grep { $_->{'gluster'} } @all ] );
my $pick = sub {
	my ($k) = @_;
	my $v = $tmpl->{"${module_name}_$k"};
	my @opts = ( [ '', $text{'tmpl_nocluster'} ], map { [ $_, $_ ] } @{$names{$k}} );
	push(@opts, [ $v, $v ]) if ($v ne '' && &indexof($v, @{$names{$k}}) < 0);
	return &ui_select("${module_name}_$k", $v, \@opts);
	};
my $rv = &ui_table_row($text{'tmpl_mode'},
	&ui_radio("${module_name}_mode", $mode,
		  [ $tmpl->{'default'} ? ( ) : ( [ 0, $text{'tmpl_default'} ] ),
		    [ 1, $text{'tmpl_none'} ], [ 2, $text{'tmpl_below'} ] ]));
$rv .= &ui_table_row($text{'tmpl_web'}, &$pick('web'));
$rv .= &ui_table_row($text{'tmpl_database'}, &$pick('database'));
$rv .= &ui_table_row($text{'tmpl_volume'}, &$pick('volume'));
$rv .= &ui_table_row($text{'tmpl_mount'}, &ui_textbox("${module_name}_mount", $tmpl->{"${module_name}_mount"} || '/srv/www', 40));
$rv .= &ui_table_row($text{'tmpl_www'}, &ui_yesno_radio("${module_name}_www", $tmpl->{"${module_name}_www"} eq '0' ? 0 : 1));
$rv .= &ui_table_row($text{'tmpl_hub'}, &text('tmpl_ehub', &html_escape(&hub_error($clusters)))) if ($st != 200);
return $rv;
}

# template_parse(&template, &in) : checks the choices with the hub, as the Webmin user saving
# the template (clusters it cannot see, or without the role, are refused) and stores them
sub template_parse
{
my ($tmpl, $in) = @_;
my $mode = $in->{"${module_name}_mode"};
if ($mode == 0 && !$tmpl->{'default'}) {
	$tmpl->{$module_name} = '';
	return;
	}
if ($mode == 1) {
	$tmpl->{$module_name} = 'none';
	return;
	}
my %p = map { $_ => $in->{"${module_name}_$_"} } @template_keys;
$p{'mount'} = '' if ($p{'volume'} eq '');
$p{'volume'} eq '' || $p{'mount'} =~ /^(\/[A-Za-z0-9_][A-Za-z0-9._-]*)+$/ || &error(&text('tmpl_emount', &html_escape($p{'mount'})));
my $body = &placement_body(\%p);
%$body || &error($text{'tmpl_enothing'});
my ($st, $r) = &hub_call('POST', '/api/virtual-servers/check', $body);
$st == 200 || &error(&html_escape(&hub_error($r)));
$tmpl->{$module_name} = 1;
$tmpl->{"${module_name}_$_"} = $p{$_} foreach (qw(web database volume mount));
$tmpl->{"${module_name}_www"} = $p{'www'} ? 1 : 0;
}

1;
