// The article's three programs, parameterised, as a JavaScript reference for the tests.
// Reads a JSON list of settings on stdin; writes, for each, the console lines and the
// weight before every iteration (as JavaScript prints numbers), and the final weight.
"use strict";

function train(s) {
  let weight = s.weight;
  const lines = [];
  const weights = [];
  for (let i = 1; i <= s.iterations; i++) {
    const prediction = s.data * weight;
    const error = (prediction - s.target) ** 2;
    lines.push("iteration " + i + " error: " + error + " prediction: " + prediction);
    weights.push(String(weight));
    if (s.method === "up_and_down") {
      const upError = (s.data * (weight + s.step) - s.target) ** 2;
      const downError = (s.data * (weight - s.step) - s.target) ** 2;
      if (upError < downError) {
        weight += s.step;
      } else {
        weight -= s.step;
      }
    } else {
      const errorPrime = s.exact_derivative
        ? 2 * s.data * (prediction - s.target)
        : (s.data * weight - s.target) * s.data;
      weight -= s.alpha * errorPrime;
    }
  }
  return { lines, weights, final_weight: String(weight) };
}

let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  process.stdout.write(JSON.stringify(JSON.parse(input).map(train)));
});
