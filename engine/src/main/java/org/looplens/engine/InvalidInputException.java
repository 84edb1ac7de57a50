package org.looplens.engine;

/**
 * Something the user gave us is wrong: a file, a field, a token, an option.
 *
 * <p>The message is one line that names the source (usually a file) and the problem, so the CLI
 * can print it as is and exit with code 2. Internal errors use other exception types.
 */
public class InvalidInputException extends RuntimeException {
    private final String source;
    private final String problem;

    public InvalidInputException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
        this.problem = problem;
    }

    public InvalidInputException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
        this.problem = problem;
    }

    /** The file or input the problem was found in. */
    public String source() {
        return source;
    }

    /** What is wrong, without the source. */
    public String problem() {
        return problem;
    }
}
