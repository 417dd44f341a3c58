# ar-fidelity: learning curves of every MADE, held-out negative
# log-likelihood per bit against the epoch, one panel per class, one dash
# type per hidden width (every repetition drawn); black: the entropy of p
# per bit (the floor) and, dashed, the cross-entropy of the product of the
# exact marginals per bit (the level of a model that learnt no correlation).
l = data.'ar_curve.tsv'
b = data.'ar_baselines.tsv'
# three or four tics per axis: a step of 1, 2, 5 or 10 times a power of ten
st(r) = (st_e = 10**floor(log10(r / 3.0)), st_m = r / 3.0 / st_e, (st_m < 1.5 ? 1 : st_m < 3.5 ? 2 : st_m < 7.5 ? 5 : 10) * st_e)
set multiplot layout 1,3 margins 0.1,0.99,0.15,0.9 spacing 0.1,0
set xlabel 'epoch'
set key samplen 2 spacing 1.1
lts = '10 9 11'
names = 'fu haar product'
titles = '"Fefferman--Umans (hard)" "Haar random" "random product (easy)"'
f = data.'ar_fidelity.tsv'
# the widths: the FU rows of ar_fidelity.tsv (first in the file), smallest first
stats f using (strcol('class') eq 'fu' ? 1 : 1/0) nooutput
NW = int(STATS_records)
array W[NW]
do for [i=1:NW] { stats f every ::(i-1)::(i-1) using 'width' nooutput; W[i] = int(STATS_max) }
stats l using 'rep' nooutput
R = int(STATS_max) + 1
do for [k=1:3] {
  cls = word(names, k)
  lt_ = int(word(lts, k))
  set title word(titles, k)
  if (k == 1) { set ylabel 'NLL per bit (nats)' } else { unset ylabel }
  set yrange [*:*]
  set xrange [*:*]
  stats l using (strcol('class') eq cls ? column('epoch') : 1/0) nooutput
  emax = STATS_max
  stats b using (strcol('class') eq cls ? column('entropy_bit') : 1/0) nooutput
  nh = STATS_max
  stats b using (strcol('class') eq cls ? column('marg_nll_bit') : 1/0) nooutput
  nb = STATS_max
  stats l using (strcol('class') eq cls ? column('heldout_nll_bit') : 1/0) nooutput
  hi = STATS_max > nb ? STATS_max : nb
  set yrange [nh - 0.005 : hi + 0.005]
  set ytics st(hi - nh + 0.01)
  set xrange [0:emax]
  set xtics st(emax)
  if (k == 3) { set key top right vertical samplen 2.5 } else { unset key }
  # one dash type per width (the widest solid), one line per repetition
  plot for [i=1:NW] for [r=0:R-1] l using (strcol('class') eq cls && column('width') == W[i] && column('rep') == r ? column('epoch') : 1/0):'heldout_nll_bit' \
         with lines lt lt_ lw 1 dt i == NW ? 1 : (i == 1 ? 3 : 2) title (r == 0 ? sprintf('width %d', W[i]) : ''), \
       nh with lines lt 1 dt 1 lw 1 title 'entropy', \
       nb with lines lt 1 dt 2 lw 1 title 'marginals'
}
unset multiplot
