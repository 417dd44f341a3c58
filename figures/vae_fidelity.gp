# RO-3: VAE fidelity F = sum sqrt(p q) vs compression (latent / qubits), one
# panel per class, one dash/point type per depth, error bars over independent
# repetitions; horizontal lines: baselines (a) uniform, (b) product of exact
# marginals, (c) uniform on the exact support.
c = data.'vae_fidelity.tsv'
b = data.'vae_baselines.tsv'
set multiplot layout 1,3 margins 0.08,0.99,0.27,0.92 spacing 0.06,0
set xlabel 'compression $c$'
set xrange [0:1]
set xtics 0.2
set key samplen 2 spacing 1.2
lts = '10 9 11'
names = 'fu haar product'
titles = '"Fefferman--Umans (hard)" "Haar random" "random product (easy)"'
do for [k=1:3] {
  cls = word(names, k)
  lt_ = int(word(lts, k))
  set title word(titles, k)
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
  hi = STATS_max > ub ? STATS_max : ub
  hi = hi > uc ? hi : uc
  set xrange [0:1]
  set yrange [lo - 0.02 : hi + 0.02 < 1.01 ? hi + 0.02 : 1.01]
  if (k == 1) { set key at screen 0.5,0.075 center center vertical maxrows 2 width 4 } else { unset key }
  plot for [d=1:5] c using (strcol('class') eq cls && column('depth') == d ? column('compression') + 0.012*(d-3) : 1/0):'F_mean':'F_err' \
         with yerrorlines lt lt_ dt d pt 4 + 2*d title sprintf('depth %d', d), \
       ua with lines lt 1 dt 3 lw 1 title '(a) uniform', \
       ub with lines lt 1 dt 2 lw 1 title '(b) marginals', \
       uc with lines lt 1 dt 4 lw 1 title '(c) support'
}
unset multiplot
