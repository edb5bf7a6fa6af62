#!/usr/local/bin/perl
# nph-api.cgi/api/...
# The JSON API gateway: forwards the request to the hub's unix socket with the Webmin user and
# this module's ACL (the hub checks them on every endpoint) and returns the hub's status code
# and JSON. nph- because miniserv ignores a CGI's Status: header. Changes go to Webmin's log.

use strict;
use warnings;
our ($MAX_BODY, $trust_unknown_referers);
# Webmin's Referer check answers HTML without a status line here: this script answers JSON.
$trust_unknown_referers = 1;
require './unlimited-cluster-lib.pl';
&require_trusted_referer();

&gateway();

sub gateway
{
my $method = $ENV{'REQUEST_METHOD'} || 'GET';
my $path = $ENV{'PATH_INFO'} || '';
my $qs = $ENV{'QUERY_STRING'} || '';
if ($path !~ /^\/api\/[A-Za-z0-9._~%:\/-]*$/ || $path =~ /\/\.\.?(\/|$)/ || $qs !~ /^[\x21-\x7e]*$/) {
	&print_nph(404, &json_error('not_found', 'the gateway only forwards /api/ paths'));
	return;
	}
if ($method !~ /^(GET|POST|PUT|PATCH|DELETE)$/) {
	&print_nph(405, &json_error('method_not_allowed', "$method is not allowed"));
	return;
	}
my $len = $ENV{'CONTENT_LENGTH'} || 0;
if ($len !~ /^\d+$/ || $len > $MAX_BODY) {
	&print_nph(413, &json_error('too_large', 'the request body is too large'));
	return;
	}
my $body = "";
while (length($body) < $len) {
	my $got = read(STDIN, $body, $len - length($body), length($body));
	last if (!$got);
	}

my $query = $qs ne '' ? "?$qs" : "";
my ($status, $rbody, $headers) = &hub_request($method, $path.$query, $body, $ENV{'CONTENT_TYPE'});

# One action-log entry per change: action is the method, type the resource, object its id, all
# from the (decoded, canonical) path the hub says it served. (A placement check is a POST that
# changes nothing.)
my $served = $headers->{'x-served-path'};
$path = $served if (defined($served) && $served =~ /^\/api\/[\x21-\x7e]*$/);
if ($method ne 'GET' && $status >= 200 && $status < 300 && $path ne '/api/virtual-servers/check') {
	my (undef, undef, $type, $object, $rest) = split(/\//, $path, 5);
	# A sub-resource names its own change: POST /api/clusters/shop/scaling/policy is "clusters_scaling_policy" of shop.
	$type .= '_'.join('_', grep { $_ ne '' } split(/\//, $rest)) if (defined($rest) && $rest ne '');
	if (!defined($object) && $rbody =~ /^\{/) {
		my $made = eval { JSON::PP->new->decode($rbody) } || {};
		$object = ref($made) eq 'HASH' ? ($made->{'id'} // $made->{'name'}) : undef;
		}
	if (!defined($object) && $qs =~ /(?:^|&)(?:id|from)=([^&]+)/) {
		$object = $1;
		}
	$object =~ s/%([0-9a-fA-F]{2})/chr(hex($1))/ge if (defined($object));
	&webmin_log(lc($method), $type, $object, { 'path' => $path, 'status' => $status });
	}

my %pass;
$pass{'Retry-After'} = $headers->{'retry-after'} if ($headers->{'retry-after'});
&print_nph($status, $rbody, \%pass);
}
