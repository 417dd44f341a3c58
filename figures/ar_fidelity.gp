# ar-fidelity: MADE (autoregressive, exact q) against the number of
# parameters, one column per class (FU, Haar, product).  Top: exact fidelity
# F = sum sqrt(p q), with the VAEs of vae-fidelity (open points, one point
# type per depth, every compression); bottom: held-out negative
# log-likelihood per bit.  Error bars: standard error over independent
# repetitions.  Horizontal lines: baselines (a) uniform, (b) product of the
# exact marginals, (c) uniform on the support; bottom: ln 2 (uniform), the
# marginals' cross-entropy and the entropy of p per bit (the floor).
f = data.'ar_fidelity.tsv'
b = data.'ar_baselines.tsv'
v = data.'vae_fidelity.tsv'
# VAEs at their parameter count when vae_fidelity.tsv has a params column;
# otherwise at their compression c, on the top axis
undefine STATS_*
stats v using (column('params')) nooutput
vp = exists('STATS_records') ? (STATS_records > 0) : 0
# three or four y tics per panel: a step of 1, 2, 5 or 10 times a power of ten
st(r) = (st_e = 10**floor(log10(r / 3.0)), st_m = r / 3.0 / st_e, (st_m < 1.5 ? 1 : st_m < 3.5 ? 2 : st_m < 7.5 ? 5 : 10) * st_e)
set multiplot layout 2,3 margins 0.1,0.99,0.27,0.93 spacing 0.07,0.07
set logscale x
set format x '$10^{%L}$'
set key samplen 2 spacing 1.1
array XL[3]
array XH[3]
lts = '10 9 11'
names = 'fu haar product'
titles = '"Fefferman--Umans (hard)" "Haar random" "random product (easy)"'
do for [k=1:3] {
  cls = word(names, k)
  lt_ = int(word(lts, k))
  set title word(titles, k)
  unset xlabel
  if (k == 1) { set ylabel 'fidelity $F$' } else { unset ylabel }
  set yrange [*:*]
  set xrange [*:*]
  stats b using (strcol('class') eq cls ? column('uniform') : 1/0) nooutput
  ua = STATS_max
  stats b using (strcol('class') eq cls ? column('marginals') : 1/0) nooutput
  ub = STATS_max
  stats b using (strcol('class') eq cls ? column('support') : 1/0) nooutput
  uc = STATS_max
  stats f using (strcol('class') eq cls ? column('F_mean') - column('F_err') : 1/0) nooutput
  lo = STATS_min < ua ? STATS_min : ua
  lo = lo < ub ? lo : ub
  stats v using (strcol('class') eq cls ? column('F_mean') : 1/0) nooutput
  lo = STATS_min < lo ? STATS_min : lo
  set yrange [lo - 0.02 : 1.005]
  set ytics st(1.005 - lo + 0.02)
  if (vp) { unset x2tics } else { set x2tics 0.5 mirror; set x2range [0:1]; set xtics nomirror }
  if (k == 1) { set key at screen 0.5,0.065 center center vertical maxrows 3 width 3 } else { unset key }
  if (vp) {
    plot for [d=1:5] v using (strcol('class') eq cls && column('depth') == d ? column('params') : 1/0):'F_mean':'F_err' \
           with yerrorbars lt lt_ pt 4 + 2*d ps 0.5 lw 1 title sprintf('VAE, depth %d', d), \
         f using (strcol('class') eq cls ? column('params') : 1/0):'F_mean':'F_err' with yerrorlines lt lt_ pt 7 title 'MADE', \
         ua with lines lt 1 dt 3 lw 1 title '(a) uniform', \
         ub with lines lt 1 dt 2 lw 1 title '(b) marginals', \
         uc with lines lt 1 dt 4 lw 1 title '(c) support'
  } else {
    plot for [d=1:5] v using (strcol('class') eq cls && column('depth') == d ? column('compression') : 1/0):'F_mean':'F_err' \
           axes x2y1 with yerrorbars lt lt_ pt 4 + 2*d ps 0.5 lw 1 title sprintf('VAE, depth %d', d), \
         f using (strcol('class') eq cls ? column('params') : 1/0):'F_mean':'F_err' with yerrorlines lt lt_ pt 7 title 'MADE', \
         ua with lines lt 1 dt 3 lw 1 title '(a) uniform', \
         ub with lines lt 1 dt 2 lw 1 title '(b) marginals', \
         uc with lines lt 1 dt 4 lw 1 title '(c) support'
  }
  XL[k] = GPVAL_X_MIN
  XH[k] = GPVAL_X_MAX
}
unset x2tics
set xtics mirror
do for [k=1:3] {
  cls = word(names, k)
  lt_ = int(word(lts, k))
  unset title
  set xlabel 'parameters'
  if (k == 1) { set ylabel 'NLL per bit (nats)' } else { unset ylabel }
  set yrange [*:*]
  set xrange [*:*]
  stats b using (strcol('class') eq cls ? column('marg_nll_bit') : 1/0) nooutput
  nb = STATS_max
  stats b using (strcol('class') eq cls ? column('entropy_bit') : 1/0) nooutput
  nh = STATS_max
  stats f using (strcol('class') eq cls ? column('nll_bit_mean') + column('nll_bit_err') : 1/0) nooutput
  hi = STATS_max > log(2) ? STATS_max : log(2)
  set yrange [nh - 0.01 : hi + 0.01]
  set ytics st(hi - nh + 0.02)
  set xrange [XL[k] : XH[k]]  # the panel above's
  unset key
  plot f using (strcol('class') eq cls ? column('params') : 1/0):'nll_bit_mean':'nll_bit_err' with yerrorlines lt lt_ pt 7, \
       log(2) with lines lt 1 dt 3 lw 1, nb with lines lt 1 dt 2 lw 1, nh with lines lt 1 dt 1 lw 1
}
unset multiplot
