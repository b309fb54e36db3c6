package io.pushgate.webapi.upload;

import io.pushgate.webapi.TestDatabase;
import io.pushgate.webapi.db.Database;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The {@code uploads} table of a real database, the contract's "same backing" being a second pool on it. */
class DatabaseUploadStoreTest extends UploadStoreContract {
    static TestDatabase db;
    static Database one;
    static Database two;

    @BeforeAll
    static void open() {
        db = TestDatabase.create();
        one = Database.open(db.url(), "root", "", 2);
        two = Database.open(db.url(), "root", "", 2);
    }

    @AfterAll
    static void close() {
        two.close();
        one.close();
        db.close();
    }

    @Override
    UploadStore store() {
        return new DatabaseUploadStore(one.jdbi().onDemand(UploadDao.class), Clock.systemUTC());
    }

    @Override
    UploadStore sameBackingElsewhere() {
        return new DatabaseUploadStore(two.jdbi().onDemand(UploadDao.class), Clock.systemUTC());
    }
}
