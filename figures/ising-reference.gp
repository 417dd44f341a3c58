# Ising reference (Ch. 6): exact u and C/N of the L = 8 and 16 tori
# (Kaufman) and the infinite lattice (Onsager), with multi-spin Metropolis
# points (error bars: binning, jackknife for C).
ex = data.'ising_exact.tsv'
mc = data.'ising_validate.tsv'
set multiplot layout 1,2
set xlabel '$T$'
set xrange [0.9:3.6]
set ylabel '$u = \langle E\rangle/N$'
set key top left Left reverse
plot ex using (column("T")):(column("uinf")) with lines lt 1 dt 2 title 'exact $L=\infty$', \
     ex using (column("T")):(column("u8")) with lines lt 2 title 'exact $L=8$', \
     ex using (column("T")):(column("u16")) with lines lt 4 title 'exact $L=16$', \
     mc using (column("L") == 8 ? column("T") : NaN):(column("e")):(column("e_err")) with yerrorbars lt 2 pt 6 title 'MC $L=8$', \
     mc using (column("L") == 16 ? column("T") : NaN):(column("e")):(column("e_err")) with yerrorbars lt 4 pt 4 title 'MC $L=16$'
set ylabel '$C/N$'
set yrange [0:2.2]
set key top right Left reverse samplen 1.5 width -4
plot ex using (column("T")):(column("cinf")) with lines lt 1 dt 2 title 'exact $L=\infty$', \
     ex using (column("T")):(column("c8")) with lines lt 2 title 'exact $L=8$', \
     ex using (column("T")):(column("c16")) with lines lt 4 title 'exact $L=16$', \
     mc using (column("L") == 8 ? column("T") : NaN):(column("c")):(column("c_err")) with yerrorbars lt 2 pt 6 title 'MC $L=8$', \
     mc using (column("L") == 16 ? column("T") : NaN):(column("c")):(column("c_err")) with yerrorbars lt 4 pt 4 title 'MC $L=16$'
unset multiplot
