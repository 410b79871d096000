import ArgumentParser
import DarkNumber
import DarkNumberReports

/// The CLI's spelling of ``IntervalMethod``.
enum IntervalOption: String, CaseIterable, ExpressibleByArgument {
  case wald
  case lognormal
  case profile
  case logwald

  var method: IntervalMethod {
    switch self {
    case .wald: .wald
    case .lognormal: .logNormal
    case .profile: .profileLikelihood
    case .logwald: .logWald
    }
  }
}
