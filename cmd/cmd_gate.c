/* `deepcheap gate certify|sup`: certified sup error of the multiplication gate (proofs/gatecert). */
#include "commands.h"
#include "gatecert.h"

#include <math.h>
#include <stdio.h>

static int print_row(const char *act, double lambda, double eps, const gate_cert_result *r)
{
    printf("act\tlambda\teps\tverdict\tboxes\tsup_lo\tsup_hi\n");
    printf("%s\t%.17g\t%.17g\t%s\t%ld\t%.9e\t%.9e\n", act, lambda, eps,
           gate_cert_verdict_name(r->verdict), r->boxes, r->sup_lo, r->sup_hi);
    return 0;
}

static int parse_act(gate_act *a, const char *s)
{
    if (gate_act_parse(s, a) == 0) return 0;
    fprintf(stderr, "deepcheap gate: unknown activation '%s' (softplus, logistic, tanh, exp, elu)\n", s);
    return 2;
}

/* options: act, lambda, eps, R, max-boxes */
int cmd_gate_certify(const cmd_val *v)
{
    gate_act a;
    if (parse_act(&a, v[0].s)) return 2;
    if (a == GATE_ELU && 2 * v[1].d * v[3].d >= 2.0) {
        fprintf(stderr, "deepcheap gate: elu needs 2 lambda R < 2 (bias -2 keeps the gate off the kink)\n");
        return 2;
    }
    gate_cert_result r;
    if (gate_cert_eps(&r, a, v[1].d, v[3].d, v[2].d, (long)v[4].i)) return 2;
    return print_row(v[0].s, v[1].d, v[2].d, &r);
}

/* options: act, lambda, R, rtol, max-boxes */
int cmd_gate_sup(const cmd_val *v)
{
    gate_act a;
    if (parse_act(&a, v[0].s)) return 2;
    if (a == GATE_ELU && 2 * v[1].d * v[2].d >= 2.0) {
        fprintf(stderr, "deepcheap gate: elu needs 2 lambda R < 2 (bias -2 keeps the gate off the kink)\n");
        return 2;
    }
    gate_cert_result r;
    if (gate_cert_sup(&r, a, v[1].d, v[2].d, v[3].d, (long)v[4].i)) return 2;
    return print_row(v[0].s, v[1].d, NAN, &r);
}
