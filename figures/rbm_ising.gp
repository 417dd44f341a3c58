# MM-2: relative error of each observable computed from model samples against
# the exact 8x8 values, vs the first hidden layer's width, at T_c.  One curve
# per model type and second-layer width (solid: 64, dashed: 16); error bars
# are standard errors over repetitions; the black dotted line is the error
# of the training samples themselves (the data's own statistical floor).
# No key (cairolatex misjudges the width of LaTeX key entries): the caption
# gives the colours (style.gp) and dash types.
f = data.'rbm_ising_mean.tsv'
tc = 2.2692
sel(lab, o) = (abs(column('T') - tc) < 1e-3 && strcol('label') eq lab && strcol('obs') eq o)
set logscale xy
set format y '$10^{%L}$'
set xtics (8, 16, 32, 64, 128, 256)
set xrange [6:340]
set multiplot layout 2,2
unset key
obs = 'e absm C chi'
array tit[4] = ['energy $e$', 'magnetization $\langle|m|\rangle$', 'specific heat $C$', 'susceptibility $\chi$']
do for [i = 1:4] {
  o = word(obs, i)
  set title tit[i]
  if (i >= 3) { set xlabel 'first hidden layer width $n_1$' } else { unset xlabel }
  set ylabel 'relative error'
  plot f using (sel('RBM', o) ? column('w1') : 1/0):'err':'err_se' with yerrorlines lt 2 title 'RBM', \
       f using (sel('DBN-64', o) ? column('w1') : 1/0):'err':'err_se' with yerrorlines lt 3 title 'DBN $n_2{=}64$', \
       f using (sel('DBN-16', o) ? column('w1') : 1/0):'err':'err_se' with yerrorlines lt 3 dt 2 title 'DBN $n_2{=}16$', \
       f using (sel('DBM-64', o) ? column('w1') : 1/0):'err':'err_se' with yerrorlines lt 7 title 'DBM $n_2{=}64$', \
       f using (sel('DBM-16', o) ? column('w1') : 1/0):'err':'err_se' with yerrorlines lt 7 dt 2 title 'DBM $n_2{=}16$', \
       f using (sel('DRBN-64', o) ? column('w1') : 1/0):'err':'err_se' with yerrorlines lt 8 title 'DRBN $n_2{=}64$', \
       f using (sel('DRBN-16', o) ? column('w1') : 1/0):'err':'err_se' with yerrorlines lt 8 dt 2 title 'DRBN $n_2{=}16$', \
       f using (sel('RBM', o) ? column('w1') : 1/0):'data_err' with lines lt 1 dt 3 title 'training data'
}
unset multiplot
