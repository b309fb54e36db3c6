package io.pushgate.webapi.db;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a database that is unreachable (answered with 503) from a query that failed (a bug: 500), and a
 * transaction that lost a lock conflict (worth retrying) from the rest.
 */
public final class DatabaseFailures {
    /** MySQL/MariaDB: InnoDB found a deadlock and rolled this transaction back. */
    static final int ER_LOCK_DEADLOCK = 1213;
    /** MySQL/MariaDB: a lock wait outlasted innodb_lock_wait_timeout (the statement was rolled back). */
    static final int ER_LOCK_WAIT_TIMEOUT = 1205;

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

    /**
     * True when {@code failure} or one of its causes is a deadlock (1213) or a lock-wait timeout (1205): nothing
     * was wrong with the statements, another transaction held what they needed, and running the transaction
     * again (after rolling it back) may well succeed.
     */
    public static boolean isLockConflict(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql
                    && (sql.getErrorCode() == ER_LOCK_DEADLOCK || sql.getErrorCode() == ER_LOCK_WAIT_TIMEOUT)) {
                return true;
            }
        }
        return false;
    }
}
