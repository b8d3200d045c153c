// Mantine's preset gives CSS modules light-dark(), rem() and breakpoint mixins.
module.exports = {
  plugins: {
    'postcss-preset-mantine': {},
  },
};
