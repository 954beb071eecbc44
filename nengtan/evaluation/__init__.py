"""Park evaluations, pure (issue 13): HJ 274-2015 eco-industrial park indicators (hj274), the zero-carbon park
indicators with the gap of each failing one (zero_carbon), the park's greenhouse-gas inventory (ghg), and the growth
arithmetic they share (growth). The engine (nengtan.engine.evaluation) gathers the inputs from the platform's
accounts and the park's statistics, and says which source each input came from."""
