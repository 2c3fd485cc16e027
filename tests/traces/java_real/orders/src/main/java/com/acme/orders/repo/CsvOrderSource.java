package com.acme.orders.repo;

import com.acme.orders.model.Order;
import com.acme.orders.model.Status;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reads orders from CSV text: id,customer,status,sku:qty:cents;... */
public class CsvOrderSource implements AutoCloseable {
    private final BufferedReader in;
    private boolean failOnClose;

    public CsvOrderSource(Reader reader, boolean failOnClose) {
        this.in = new BufferedReader(reader);
        this.failOnClose = failOnClose;
    }

    public CsvOrderSource(String text) {
        this(new StringReader(text), false);
    }

    public List<Order> readAll() {
        List<Order> out = new ArrayList<>();
        try {
            String row;
            while ((row = in.readLine()) != null) {
                out.add(parse(row)); // @sym: CsvOrderSource.readAll
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static Order parse(String row) {
        String[] cols = row.split(",");
        List<Order.Line> lines = new ArrayList<>();
        for (String part : cols[3].split(";")) { // @sym: CsvOrderSource.parse
            String[] f = part.split(":");
            lines.add(new Order.Line(f[0], Integer.parseInt(f[1]), Long.parseLong(f[2]))); // @sym: CsvOrderSource.parse
        }
        return new Order(Long.parseLong(cols[0]), cols[1], Status.parse(cols[2]), lines); // @sym: CsvOrderSource.parse
    }

    @Override
    public void close() throws IOException {
        in.close();
        if (failOnClose) {
            throw new IOException("source already closed by peer"); // @sym: CsvOrderSource.close
        }
    }
}
