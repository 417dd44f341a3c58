# BP-LEARN: samples N* needed for the target error of the whole coupling
# matrix against the number of parameters P, per lattice and temperature
# (bars: bootstrap 5-95% over the chains; open circles with arrows at the
# largest N: never reached, N* lies beyond).  Lines join the
# parametrizations of one (L, T): their slopes are the per-segment exponents
# of the chapter's table.  The key sits below the axes, off the data.
set xlabel 'parameters $P$'
set ylabel 'samples $N^*$ for the target error' offset -1.5,0
set logscale xy
set format x '$10^{%L}$'
set format y '$10^{%L}$'
f = data.'coupling_nstar.tsv'
stats data.'coupling_recovery.tsv' using 'N' nooutput
nmax = STATS_max
stats f using 'L' nooutput
has16 = STATS_max >= 16
set xrange [0.5:4000]
set yrange [0.5:nmax * 8]
set bmargin 8
set key at screen 0.5, screen 0.01 center bottom horizontal maxrows 3 Left reverse samplen 2 spacing 1.3
set arrow from graph 0, first nmax to graph 1, first nmax nohead lc rgb '#999999' dt 3
set label '$N_{\max}$' at graph 0.02, first nmax * 1.6 textcolor rgb '#777777'
ok(l, t) = (column('L') == l && abs(column('T') - t) < 1e-3 && column('censored_full') == 0)
cen = "(column('censored_full') == 2)"
hi(x) = x < 1e300 ? x : nmax
plot for [t in '2.0 2.2692 3.0'] f using (ok(8, t + 0) ? column('P') : 1/0):'nstar_full':'nstar_lo':(hi(column('nstar_hi'))) \
         with yerrorlines lt (t + 0 < 2.1 ? 2 : t + 0 < 2.5 ? 5 : 4) pt 7 title sprintf('$L = 8$, $T = %.2f$', t + 0), \
     for [t in '2.0 2.2692 3.0'] f using (ok(16, t + 0) ? column('P') : 1/0):'nstar_full':'nstar_lo':(hi(column('nstar_hi'))) \
         with yerrorlines lt (t + 0 < 2.1 ? 2 : t + 0 < 2.5 ? 5 : 4) dt 2 pt 5 title (has16 ? sprintf('$L = 16$, $T = %.2f$', t + 0) : ''), \
     f using (@cen ? column('P') : 1/0):(nmax):(0):(nmax * 2) with vectors lt 9 head filled size screen 0.01,25 notitle, \
     f using (@cen ? column('P') : 1/0):(nmax) with points lt 9 pt 6 ps 1.4 title 'never reached: $N^* > N_{\max}$'
