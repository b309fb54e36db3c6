package io.pushgate.webapi.upload;

import io.pushgate.webapi.TestDatabase;
import java.nio.file.Path;

/** Files in one directory, the contract's "same backing" being a second store on the same directory. */
class DirectoryUploadStoreTest extends UploadStoreContract {
    private final Path dir = TestDatabase.tempDir("pushgate-uploads");

    @Override
    UploadStore store() {
        return new DirectoryUploadStore(dir);
    }

    @Override
    UploadStore sameBackingElsewhere() {
        return new DirectoryUploadStore(dir);
    }
}
