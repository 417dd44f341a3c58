# MM-2: relative error of each observable computed from model samples against
# the exact 8x8 values, vs the first hidden layer's width, at T_c.  One curve
# per model type (colours of style.gp), error bars: standard errors over the
# repetitions; x axis over the widths run.  Grey band: Morningstar-Melko's
# finding in their terms (the error set by the first-layer width): the mean
# over model types at each width, widened by the margin times the width
# effect (bench/exp_rbm_ising.c, mm_band); curves outside it differ by more
# than the finding allows.  Black dotted: the error of the training samples
# themselves (their own statistical floor, no model involved).
f = data.'rbm_ising_mean.tsv'
tc = 2.2692
sel(lab, o) = (abs(column('T') - tc) < 1e-3 && strcol('label') eq lab && strcol('obs') eq o)
stats f using 'w1' nooutput
set logscale xy
set format y '$10^{%L}$'
set xtics (8, 16, 32, 64, 128, 256)
set xrange [STATS_min / 1.4 : STATS_max * 1.4]
# the panels leave the right edge to the key (one key for all four)
set multiplot layout 2,2 margins 0.09,0.86,0.1,0.93 spacing 0.09,0.17
obs = 'e absm C chi'
array tit[4] = ['energy $e$', 'magnetization $\langle|m|\rangle$', 'specific heat $C$', 'susceptibility $\chi$']
set style fill transparent solid 0.25 noborder
do for [i = 1:4] {
  o = word(obs, i)
  set title tit[i]
  if (i >= 3) { set xlabel 'first hidden layer width $n_1$' } else { unset xlabel }
  set ylabel (i % 2 == 1 ? 'relative error' : '')
  if (i == 2) { set key at screen 0.995, 0.94 reverse Left samplen 1.5 spacing 1.1 } else { unset key }
  plot f using (sel('RBM', o) ? column('w1') : 1/0):'band_lo':'band_hi' with filledcurves lc rgb '#7f7f7f' title 'MM', \
       f using (sel('RBM', o) ? column('w1') : 1/0):'err':'err_se' with yerrorlines lt 2 title 'RBM', \
       f using (sel('DBN-64', o) ? column('w1') : 1/0):'err':'err_se' with yerrorlines lt 3 title 'DBN', \
       f using (sel('DBM-64', o) ? column('w1') : 1/0):'err':'err_se' with yerrorlines lt 7 title 'DBM', \
       f using (sel('DRBN-64', o) ? column('w1') : 1/0):'err':'err_se' with yerrorlines lt 8 title 'DRBN', \
       f using (sel('RBM', o) ? column('w1') : 1/0):'data_err' with lines lt 1 dt 3 title 'data'
}
unset multiplot
