# LT-11: time of one circular convolution of length n, direct (n^2) and by
# FFT (n log n), with the ratio on the right axis.  The key sits below the
# axes, off the data.
set xlabel 'length $n$'
set ylabel 'seconds per convolution' offset -1.5,0
set y2label 'direct / FFT' offset 1,0
set logscale xy
set logscale y2
set format x '$2^{%L}$'
set format y '$10^{%L}$'
set format y2 '$10^{%L}$'
set ytics nomirror
set y2tics
set bmargin 6
set key at screen 0.5, screen 0.01 center bottom horizontal maxrows 2 Left reverse samplen 2 spacing 1.3
set logscale x 2
plot data.'conv_fft.tsv' using 'n':'t_direct' with linespoints lt 1 title 'direct sum ($n^2$)', \
     data.'conv_fft.tsv' using 'n':'t_fft' with linespoints lt 2 title 'FFT (FFTW)', \
     data.'conv_fft.tsv' using 'n':'time_ratio' axes x1y2 with linespoints lt 3 dt 2 title 'time ratio (right axis)', \
     data.'conv_fft.tsv' using 'n':'mult_ratio' axes x1y2 with lines lt 9 dt 3 title 'multiplication ratio (right axis)'
