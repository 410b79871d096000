/// The package's version, recorded in every JSON document the CLI writes.
public enum DarkNumberVersion {
  /// The semantic version string.
  public static let string = "0.1.0"
}
