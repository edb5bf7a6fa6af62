#!/usr/local/bin/perl
# nph-ticket.cgi
# A short-lived, single-use ticket for the browser socket (miniserv's /unlimited-cluster/ws
# route checks the Webmin session, not module ACLs: the hub checks this ticket).

use strict;
use warnings;
our (%access, $remote_user, $TICKET_TTL, $trust_unknown_referers);
# Webmin's Referer check answers HTML without a status line here: this script answers JSON.
$trust_unknown_referers = 1;
require './unlimited-cluster-lib.pl';
&require_trusted_referer();

if (($ENV{'REQUEST_METHOD'} || '') ne 'POST') {
	&print_nph(405, &json_error('method_not_allowed', 'ask for a ticket with POST'));
	}
elsif (!$access{'view'}) {
	&print_nph(403, &json_error('forbidden', 'you do not have the "view" permission'));
	}
elsif (my $secret = &read_ticket_secret()) {
	my $ticket = &mint_ticket($secret, $remote_user, \%access);
	&print_nph(200, JSON::PP->new->canonical->encode({ 'ticket' => $ticket, 'expiresIn' => $TICKET_TTL }));
	}
else {
	&print_nph(503, &json_error('no_secret', 'the ticket secret is missing: reinstall the module or run its postinstall'));
	}
