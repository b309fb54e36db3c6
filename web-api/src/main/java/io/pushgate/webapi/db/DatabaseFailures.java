package io.pushgate.webapi.db;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/** Tells a database that is unreachable (answered with 503) from a query that failed (a bug: 500). */
public final class DatabaseFailures {
    private DatabaseFailures() {
    }

    /**
     * True when {@code failure} or one of its causes says the database cannot be reached: the pool timed out
     * waiting for a connection, a connection broke, or the SQL state is class 08 (connection exception).
     */
    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || t instanceof ConnectException
                    || t instanceof SocketTimeoutException || t instanceof SocketException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
            if (t.getClass().getName().endsWith("CommunicationsException")) { // Connector/J's, without importing it
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
