#!/usr/local/bin/perl
# index.cgi
# The page: Webmin's header, then the UI's stylesheet and script (absolute, content-hashed
# paths, in the body so Authentic's pjax keeps them) and a mount call that renders afresh.

use strict;
use warnings;
our (%text, $module_root_directory);
require './unlimited-cluster-lib.pl';

&ui_print_header(undef, $text{'index_title'}, "", "intro", 1, 1);

my $base = &get_webprefix()."/unlimited-cluster/";
my ($js) = map { s/^.*\///r } glob("$module_root_directory/ui/assets/main-*.js");
my ($css) = map { s/^.*\///r } glob("$module_root_directory/ui/assets/main-*.css");
if (!$js) {
	print "<p>", &text('index_nobuild', "<tt>$module_root_directory/ui</tt>"), "</p>\n";
	}
else {
	my $opts = JSON::PP->new->canonical->encode({
		'base' => $base."nph-api.cgi/",
		'ticketUrl' => $base."nph-ticket.cgi",
		'socketPath' => $base."ws",
		'embedded' => JSON::PP::true() });
	print "<link rel=\"stylesheet\" href=\"${base}ui/assets/$css\">\n" if ($css);
	print "<div id=\"unlimited-cluster-root\" style=\"min-height:70vh\"></div>\n";
	print "<script type=\"module\">\n",
	      "import { mount } from '${base}ui/assets/$js';\n",
	      "mount(document.getElementById('unlimited-cluster-root'), $opts);\n",
	      "</script>\n";
	}

&ui_print_footer("/", $text{'index'});
