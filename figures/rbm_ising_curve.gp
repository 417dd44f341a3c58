# MM-2 learning curves: the relative error of the model-sample energy e
# against the held-out samples at each checkpoint of one training run
# (epochs per layer), for every model at T_c; one panel per model type
# (colours of style.gp), line style by first-layer width.  A curve ends where
# the plateau criterion stopped the doubling or at the cap; stars mark the
# final budget of models that did not reach the plateau.
f = data.'rbm_ising_curve.tsv'
tc = 2.2692
# one line per model: the rows of one repetition and type are separated by other types' rows
sel(m, w, r) = (abs(column('T') - tc) < 1e-3 && strcol('model') eq m && (w == 0 || column('w1') == w) && column('rep') == r)
stats f using 'rep' nooutput
nrep = int(STATS_max) + 1
stats f using 'w1' nooutput
wmin = STATS_min
wmax = STATS_max
stats f using 'epochs' nooutput
set logscale x 2
set logscale y 10
set xtics (5, 10, 20, 25, 50, 100, 200, 400)
set format y '$10^{%L}$'
set xrange [STATS_min / 1.3 : STATS_max * 1.3]
set yrange [1e-3 : 3]
# the panels leave the right edge to the key
set multiplot layout 2,2 margins 0.1,0.84,0.1,0.93 spacing 0.09,0.17
array mods[4] = ['RBM', 'DBN', 'DBM', 'DRBN']
array lts[4] = [2, 3, 7, 8]
do for [i = 1:4] {
  m = mods[i]
  set title m
  set xlabel (i >= 3 ? 'epochs per layer (budget)' : '')
  set ylabel (i % 2 == 1 ? 'rel. error of $e$ (held out)' : '')
  if (i == 1) { set key at screen 0.995, 0.93 reverse Left samplen 2 spacing 1.1 } else { unset key }
  plot for [r = 0:nrep - 1] f using (sel(m, wmin, r) ? column('epochs') : 1/0):'err_e' with lines lt lts[i] lw 1 dt 3 title (r ? '' : sprintf('$n_1{=}%d$', wmin)), \
       for [r = 0:nrep - 1] f using (sel(m, wmax, r) ? column('epochs') : 1/0):'err_e' with lines lt lts[i] lw 1 title (r ? '' : sprintf('$n_1{=}%d$', wmax)), \
       for [r = 0:nrep - 1] f using (sel(m, 0, r) && column('w1') > wmin && column('w1') < wmax ? column('epochs') : 1/0):'err_e' with lines lt lts[i] lw 1 dt 2 title (r ? '' : 'between'), \
       f using (abs(column('T') - tc) < 1e-3 && strcol('model') eq m && column('last') == 1 && column('conv') == 0 ? column('epochs') : 1/0):'err_e' with points lt 1 pt 3 ps 0.8 title 'no plateau'
}
unset multiplot
