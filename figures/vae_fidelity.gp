# RO-3: top row, VAE fidelity F = sum sqrt(p q) vs compression (latent /
# qubits), one panel per class, one dash/point type per depth, error bars over
# independent repetitions; horizontal lines: baselines (a) uniform, (b)
# product of exact marginals, (c) uniform on the exact support.  Bottom row:
# held-out learning curves at compression 0.5, negative ELBO minus H_b (the
# cross-entropy of the product of exact marginals: 0 is what a collapsed
# model reaches at best) per epoch, mean and error over the repetitions.
# Panels placed by hand; the key is a strip of its own under them.
c = data.'vae_fidelity.tsv'
b = data.'vae_baselines.tsv'
l = data.'vae_curves.tsv'
names = 'fu haar product mix'
titles = '"Fefferman--Umans (hard)" "Haar random" "product (easy)" "mixture (control)"'
cols = '#b2182b #7f7f7f #008080 #8c6d00'
# three or four tick marks over [lo, hi]
tstep(lo, hi) = (s0 = 10**floor(log10((hi - lo) / 3.0)), (hi - lo) / s0 > 15 ? 5*s0 : (hi - lo) / s0 > 6 ? 2*s0 : s0)
set multiplot
set lmargin 8
set rmargin 0.8
set tmargin 1.3
set bmargin 2.2
unset key
pw = 0.25
do for [k=1:4] {
  cls = word(names, k)
  col = word(cols, k)
  set origin (k-1)*pw, 0.55
  set size pw, 0.45
  set title word(titles, k) offset 0,-0.6
  set xlabel 'compression $c$' offset 0,0.6
  if (k == 1) { set ylabel 'fidelity $F$' offset -0.3,0 } else { unset ylabel }
  # baselines read from the table (one row per class); stats honours the ranges
  set yrange [*:*]
  set xrange [*:*]
  stats b using (strcol('class') eq cls ? column('uniform') : 1/0) nooutput
  ua = STATS_max
  stats b using (strcol('class') eq cls ? column('marginals') : 1/0) nooutput
  ub = STATS_max
  stats b using (strcol('class') eq cls ? column('support') : 1/0) nooutput
  uc = STATS_max
  stats c using (strcol('class') eq cls ? column('F_mean') : 1/0) nooutput
  lo = STATS_min < ua ? STATS_min : ua
  lo = lo < ub ? lo : ub
  hi = STATS_max > ub ? STATS_max : ub
  hi = hi > uc ? hi : uc
  lo = lo - 0.02
  hi = hi + 0.02 < 1.01 ? hi + 0.02 : 1.01
  set xrange [0:1]
  set xtics 0.5
  set yrange [lo:hi]
  set ytics tstep(lo, hi)
  plot for [d=1:5] c using (strcol('class') eq cls && column('depth') == d ? column('compression') + 0.012*(d-3) : 1/0):'F_mean':'F_err' \
         with yerrorlines lc rgb col dt d pt 4 + 2*d ps 0.4 notitle, \
       ua with lines lt 1 dt 3 lw 1 notitle, \
       ub with lines lt 1 dt 2 lw 1 notitle, \
       uc with lines lt 1 dt 4 lw 1 notitle
}
do for [k=1:4] {
  cls = word(names, k)
  col = word(cols, k)
  set origin (k-1)*pw, 0.1
  set size pw, 0.45
  unset title
  set xlabel 'epoch' offset 0,0.6
  if (k == 1) { set ylabel 'held-out $-$ELBO$\,-\,H_b$' offset -0.3,0 } else { unset ylabel }
  set xrange [*:*]
  set yrange [*:*]
  stats b using (strcol('class') eq cls ? column('marg_entropy_nats') : 1/0) nooutput
  hb = STATS_max
  stats l using 'epoch' nooutput
  emax = STATS_max
  sel(d) = strcol('class') eq cls && strcol('rep') eq 'mean' && column('depth') == d && abs(column('compression') - 0.5) < 1e-6
  stats l using (sel(1) || sel(2) || sel(3) || sel(4) || sel(5) ? column('heldout') - hb : 1/0) nooutput
  lo = STATS_min < 0 ? STATS_min : 0
  hi = STATS_max > 0 ? STATS_max : 0
  pad = (hi - lo) * 0.1
  set yrange [lo - pad : hi + pad]
  set ytics tstep(lo - pad, hi + pad)
  set xrange [0.5:emax + 0.5]
  set xtics 2
  plot for [d=1:5] l using (sel(d) ? column('epoch') + 0.05*(d-3) : 1/0):(column('heldout') - hb):'heldout_err' \
         with yerrorlines lc rgb col dt d pt 4 + 2*d ps 0.4 notitle, \
       0 with lines lt 1 dt 2 lw 1 notitle
}
# the key: a strip across the bottom, no axes
set origin 0, 0
set size 1, 0.1
unset title
unset xlabel
unset ylabel
unset border
unset tics
set lmargin 0
set rmargin 0
set tmargin 0
set bmargin 0
set xrange [0:1]
set yrange [0:1]
set key center center horizontal maxcols 8 maxrows 1 samplen 1.5 width 1
plot for [d=1:5] NaN with linespoints lc rgb '#000000' dt d pt 4 + 2*d ps 0.4 title sprintf('depth %d', d), \
     NaN with lines lt 1 dt 3 lw 1 title '(a)', \
     NaN with lines lt 1 dt 2 lw 1 title '(b), $H_b$', \
     NaN with lines lt 1 dt 4 lw 1 title '(c)'
unset multiplot
