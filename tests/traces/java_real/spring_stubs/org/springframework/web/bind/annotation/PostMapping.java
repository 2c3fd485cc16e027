package org.springframework.web.bind.annotation;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/** Compile-time stand-in for the Spring annotation (traces only need the code to compile). */
@Retention(RetentionPolicy.RUNTIME)
public @interface PostMapping {
    String[] value() default {};

    String[] path() default {};

    String[] produces() default {};

    RequestMethod[] method() default {};
}
