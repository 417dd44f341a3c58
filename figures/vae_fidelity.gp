# RO-3: top row, VAE fidelity F = sum sqrt(p q) vs compression (latent /
# qubits), one panel per class, one dash/point type per depth, error bars over
# independent repetitions; horizontal lines: baselines (a) uniform, (b)
# product of exact marginals, (c) uniform on the exact support.  Bottom row:
# held-out learning curves at compression 0.5, negative ELBO minus H_b (the
# cross-entropy of the product of exact marginals: 0 is what a collapsed
# model reaches at best) per epoch, mean and error over the repetitions.
c = data.'vae_fidelity.tsv'
b = data.'vae_baselines.tsv'
l = data.'vae_curves.tsv'
set multiplot layout 2,4 margins 0.08,0.99,0.09,0.95 spacing 0.05,0.12
set key samplen 2 spacing 1.1
names = 'fu haar product mix'
titles = '"Fefferman--Umans (hard)" "Haar random" "product (easy)" "mixture (control)"'
cols = '#b2182b #7f7f7f #008080 #8c6d00'
do for [k=1:4] {
  cls = word(names, k)
  col = word(cols, k)
  set title word(titles, k)
  set xlabel 'compression $c$'
  if (k == 1) { set ylabel 'fidelity $F$' } else { unset ylabel }
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
  set xrange [0:1]
  set xtics 0.5
  set yrange [lo - 0.02 : hi + 0.02 < 1.01 ? hi + 0.02 : 1.01]
  # keys in the empty room of two panels: depths on FU (above its points), baselines on product (below its points)
  if (k == 1) { set key at graph 0.97,0.8 right top vertical maxrows 3 } else { if (k == 3) { set key at graph 0.97,0.7 right top vertical } else { unset key } }
  plot for [d=1:5] c using (strcol('class') eq cls && column('depth') == d ? column('compression') + 0.012*(d-3) : 1/0):'F_mean':'F_err' \
         with yerrorlines lc rgb col dt d pt 4 + 2*d ps 0.5 title (k == 1 ? sprintf('depth %d', d) : ''), \
       ua with lines lt 1 dt 3 lw 1 title (k == 3 ? '(a) uniform' : ''), \
       ub with lines lt 1 dt 2 lw 1 title (k == 3 ? '(b) marginals' : ''), \
       uc with lines lt 1 dt 4 lw 1 title (k == 3 ? '(c) support' : '')
}
do for [k=1:4] {
  cls = word(names, k)
  col = word(cols, k)
  unset title
  set xlabel 'epoch'
  if (k == 1) { set ylabel 'held-out $-$ELBO $- H_b$ (nats)' } else { unset ylabel }
  set xrange [*:*]
  set yrange [*:*]
  stats b using (strcol('class') eq cls ? column('marg_entropy_nats') : 1/0) nooutput
  hb = STATS_max
  set xtics autofreq
  unset key
  plot for [d=1:5] l using (strcol('class') eq cls && strcol('rep') eq 'mean' && column('depth') == d && \
         abs(column('compression') - 0.5) < 1e-6 ? column('epoch') + 0.05*(d-3) : 1/0):(column('heldout') - hb):'heldout_err' \
         with yerrorlines lc rgb col dt d pt 4 + 2*d ps 0.5 notitle, \
       0 with lines lt 1 dt 2 lw 1 notitle
}
unset multiplot
