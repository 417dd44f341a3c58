/* peer: the kept-running benchmark peer's protocol (bench/peer.c), with
 * shell stand-ins for the PyTorch scripts; nothing is timed. */
#include "peer.h"

#include <criterion/criterion.h>

/* answers each request "a b c" with a and c, one per line */
static const char *echo_peer = "echo ready; while read a b c; do echo $a; echo $c; done";

Test(peer, requests_and_answers)
{
    peer_proc p;
    double v[2];
    cr_assert(peer_start(&p, echo_peer) == 0);
    cr_assert(peer_ask(&p, v, 2, "1.5 x 2.5") == 0);
    cr_assert(v[0] == 1.5 && v[1] == 2.5, "%g %g", v[0], v[1]);
    cr_assert(peer_ask(&p, v, 2, "-3 y 4e5") == 0); /* the same process, a second request */
    cr_assert(v[0] == -3 && v[1] == 4e5, "%g %g", v[0], v[1]);
    cr_assert(peer_stop(&p) == 0);
}

/* Two peers at once, the first stopped first: it must see the end of its
 * input although the second was started after it (close-on-exec ends). */
Test(peer, two_peers_stop_in_order, .timeout = 20)
{
    peer_proc a, b;
    double v[2];
    cr_assert(peer_start(&a, echo_peer) == 0);
    cr_assert(peer_start(&b, echo_peer) == 0);
    cr_assert(peer_ask(&b, v, 2, "7 z 8") == 0 && v[0] == 7 && v[1] == 8);
    cr_assert(peer_stop(&a) == 0);
    cr_assert(peer_stop(&b) == 0);
}

Test(peer, failures, .timeout = 20)
{
    peer_proc p;
    double v[2];
    cr_assert(peer_start(&p, "echo not-ready") == -1); /* no "ready" line */
    cr_assert(peer_start(&p, "echo ready; echo 1; echo word") == 0);
    cr_assert(peer_ask(&p, v, 2, "x") == -1); /* the second answer is not a number */
    cr_assert(peer_stop(&p) == 0);
    cr_assert(peer_start(&p, "echo ready; read a; exit 3") == 0);
    cr_assert(peer_ask(&p, v, 1, "x") == -1); /* it died without answering */
    cr_assert(peer_ask(&p, v, 1, "x") == -1); /* writing to a dead peer fails, no SIGPIPE */
    cr_assert(peer_stop(&p) == -1);          /* exit status 3 */
}
