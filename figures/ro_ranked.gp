# RO-1/RO-2: rank-ordered probabilities (scaled by N = 2^18) of the three
# classes of 18-qubit distributions, with the Porter-Thomas law.
set xlabel 'rank / $N$'
set ylabel '$N\,p$'
set logscale y
set format y '$10^{%L}$'
set yrange [1e-4:1e3]
set key top right
f = data.'fu_ranked.tsv'
plot f using (strcol('class') eq 'fu' ? column('rank_frac') : 1/0):'Np' with lines lt 10 title 'Fefferman--Umans (hard)', \
     f using (strcol('class') eq 'haar' ? column('rank_frac') : 1/0):'Np' with lines lt 9 title 'Haar random', \
     f using (strcol('class') eq 'product' ? column('rank_frac') : 1/0):'Np' with lines lt 11 title 'random product (easy)', \
     -log(x) with lines lt 1 dt 2 title 'Porter--Thomas $-\ln(r/N)$'
