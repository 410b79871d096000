import Testing

import DarkNumber

/// Error sentences never show a number that is not a number.
@Suite("Error messages")
struct ErrorMessageTests {
  @Test("A non-existent estimate: the spread in words when it is not finite, rounded when it is")
  func estimateDoesNotExist() {
    for spread in [Double.infinity, .nan] {
      let text = EstimationError.estimateDoesNotExist(standardErrorOfLogUnobserved: spread).description
      #expect(text.contains("is not finite") && !text.contains("inf)") && !text.contains("nan"))
    }
    let finite = EstimationError.estimateDoesNotExist(standardErrorOfLogUnobserved: 831_615.7221715392).description
    #expect(finite.contains("standard error of its logarithm 831615.7)"))
  }
}
