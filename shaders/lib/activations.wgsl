// Activations that stay finite on every backend. Prepended to the shaders that
// use them (unary, gated-tanh-sigmoid(-backward), mlstm-step-cell,
// mlstm-backward-cell). SwiftShader expands tanh through exp(2v), so a large
// input gives inf / inf = NaN; exp of a large positive number overflows.

// tanh(10) rounds to 1 in f32, so clamping changes no finite result
fn safe_tanh(v: f32) -> f32 {
  return tanh(clamp(v, -10.0, 10.0));
}

// 1 / (1 + exp(-v)) evaluated with exp of a non-positive number only
fn safe_sigmoid(v: f32) -> f32 {
  let e = exp(-abs(v));
  return select(e / (1.0 + e), 1.0 / (1.0 + e), v >= 0.0);
}
