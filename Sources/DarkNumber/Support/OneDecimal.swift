/// `value` rounded to one decimal for a sentence (`448.9`); beyond 10¹² as Swift prints it.
func oneDecimal(_ value: Double) -> String {
  abs(value) < 1e12 ? "\((value * 10).rounded() / 10)" : "\(value)"
}
