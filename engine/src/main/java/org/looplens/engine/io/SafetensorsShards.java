package org.looplens.engine.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.looplens.engine.InvalidInputException;

/**
 * The weights of a checkpoint as one set of named tensors, whether they lie in one safetensors
 * file or in shards listed by a {@link ShardIndex}. Every shard is memory-mapped, so a tensor's
 * bytes are used in place whichever file holds it.
 *
 * <p>Opening a sharded set checks that the index and the shards agree exactly: every mapped tensor
 * is in its shard, and every tensor of a shard is mapped to that shard. A disagreement means a
 * mixed-up or half-copied download, and loading it anyway could silently pick stale weights.
 */
public final class SafetensorsShards implements AutoCloseable {
    private final Path origin;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> byTensor;

    private SafetensorsShards(Path origin, List<SafetensorsFile> files, Map<String, SafetensorsFile> byTensor) {
        this.origin = origin;
        this.files = List.copyOf(files);
        this.byTensor = Collections.unmodifiableMap(byTensor);
    }

    /** One file holding every tensor. */
    public static SafetensorsShards single(Path file) {
        SafetensorsFile f = SafetensorsFile.open(file);
        Map<String, SafetensorsFile> byTensor = new TreeMap<>();
        f.names().forEach(n -> byTensor.put(n, f));
        return new SafetensorsShards(file, List.of(f), byTensor);
    }

    /** The shards an index lists, opened and checked against it. */
    public static SafetensorsShards indexed(ShardIndex index) {
        String source = index.file().toString();
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        Map<String, SafetensorsFile> byTensor = new TreeMap<>();
        boolean ok = false;
        try {
            for (Map.Entry<String, String> e : index.weightMap().entrySet()) {
                String shardName = e.getValue();
                SafetensorsFile shard = shards.get(shardName);
                if (shard == null) {
                    Path path = index.folder().resolve(shardName);
                    if (!Files.isRegularFile(path)) {
                        throw new InvalidInputException(source, "weight_map[" + Quote.of(e.getKey()) + "] names shard "
                                + Quote.of(shardName) + ", which is not in " + index.folder());
                    }
                    shard = SafetensorsFile.open(path);
                    shards.put(shardName, shard);
                }
                if (!shard.contains(e.getKey())) {
                    throw new InvalidInputException(shard.path().toString(), "has no tensor " + Quote.of(e.getKey())
                            + ", which " + source + " maps to it (weight_map)");
                }
                byTensor.put(e.getKey(), shard);
            }
            for (Map.Entry<String, SafetensorsFile> s : shards.entrySet()) {
                Set<String> unmapped = new TreeSet<>(s.getValue().names());
                unmapped.removeIf(n -> s.getKey().equals(index.weightMap().get(n)));
                if (!unmapped.isEmpty()) {
                    String name = unmapped.iterator().next();
                    String mappedTo = index.weightMap().get(name);
                    throw new InvalidInputException(s.getValue().path().toString(), "holds tensor " + Quote.of(name)
                            + ", which " + source + " "
                            + (mappedTo == null ? "does not list (weight_map)" : "maps to shard " + Quote.of(mappedTo))
                            + (unmapped.size() > 1 ? " (and " + (unmapped.size() - 1) + " more)" : ""));
                }
            }
            ok = true;
        } finally {
            if (!ok) {
                shards.values().forEach(SafetensorsFile::close); // a refused index leaves nothing mapped
            }
        }
        return new SafetensorsShards(index.file(), new ArrayList<>(shards.values()), byTensor);
    }

    /** Every tensor name, sorted. */
    public Set<String> names() {
        return byTensor.keySet();
    }

    /** The single file or the index: what error messages about the whole set name. */
    public Path origin() {
        return origin;
    }

    /** The file holding {@code name}; {@link InvalidInputException} naming {@link #origin} if none does. */
    public SafetensorsFile fileOf(String name) {
        SafetensorsFile f = byTensor.get(name);
        if (f == null) {
            throw new InvalidInputException(origin.toString(), "missing tensor " + Quote.of(name));
        }
        return f;
    }

    /** Unmaps every shard. */
    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
